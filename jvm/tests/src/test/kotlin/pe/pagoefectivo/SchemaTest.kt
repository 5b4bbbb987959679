// The public records checked field by field against the core's JSON Schema (schema/pagoefectivo.schema.json):
// a field the core adds and this package lacks fails here.
package pe.pagoefectivo

import com.fasterxml.jackson.databind.JsonNode
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.io.File
import java.lang.reflect.Method
import java.lang.reflect.ParameterizedType
import java.math.BigDecimal
import java.time.LocalDate
import java.time.OffsetDateTime
import kotlin.reflect.KClass

class SchemaTest {
    private val schema = Conformance.json(File(Conformance.repo, "schema/pagoefectivo.schema.json").readText())
    private val defs = schema["\$defs"]

    /** Each schema shape and the class that holds it; `renames` maps a schema name to the Kotlin property's. */
    private class Shape(val cls: KClass<*>, val renames: Map<String, String> = emptyMap())

    private val shapes = mapOf(
        "CreateCipRequest" to Shape(CreateCipRequest::class),
        "CreateRefundRequest" to Shape(CreateRefundRequest::class),
        "Beneficiary" to Shape(Beneficiary::class),
        "Cip" to Shape(Cip::class),
        "CipInfo" to Shape(CipInfo::class),
        "Refund" to Shape(Refund::class),
        "RefundEligibility" to Shape(RefundEligibility::class),
        "CipPaid" to Shape(Event.CipPaid::class),
        "RefundEvent" to Shape(Event.Refund::class),
        "OtherEvent" to Shape(Event.Other::class),
        "Reconciliation" to Shape(Reconciliation::class),
        "Summary" to Shape(Summary::class),
        "ClassTotal" to Shape(ClassTotal::class, mapOf("class" to "kind")),
        "Exception" to Shape(Discrepancy::class, mapOf("class" to "kind")),
        "PaymentRecord" to Shape(PaymentRecord::class),
        "ReportPage" to Shape(ReportPage::class),
        "Settings" to Shape(Settings::class),
        "FieldError" to Shape(FieldError::class),
        "Error" to Shape(
            PagoEfectivoException::class,
            mapOf(
                "message" to "detail", "http_status" to "httpStatus", "pe_code" to "peCode", "pe_message" to "peMessage",
                "field_errors" to "fieldErrors", "transaction_code" to "transactionCode", "request_id" to "requestId",
            ),
        ),
    )

    private val enums = mapOf(
        "Currency" to Currency::class, "DocumentType" to DocumentType::class, "CipStatus" to CipStatus::class,
        "Class" to ReconcileClass::class, "Side" to Side::class, "OrderStatus" to OrderStatus::class,
    )

    /** Roots the JVM package does not expose as types, and why. */
    private val notExposed = mapOf(
        "Exchange" to "the audit hook is not offered on the JVM: exchanges reach SLF4J (redacted) at debug",
        "RefundAuditRecord" to "written by the core to the refund audit file (Config.refundAuditFile), not read back",
        "Event" to "the sealed class Event: its variants are CipPaid, RefundEvent and OtherEvent above",
    )

    private fun getter(cls: Class<*>, name: String): Method? {
        val cap = name.replaceFirstChar { it.uppercase() }
        return cls.methods.firstOrNull { it.parameterCount == 0 && (it.name == "get$cap" || it.name == "is$cap") }
    }

    private fun ref(node: JsonNode): String? = node["\$ref"]?.asText()?.substringAfterLast('/')

    /** The Java types a schema property may be read as. */
    private fun accepts(prop: JsonNode, type: Class<*>, genericElement: Class<*>?): String? {
        val variants = prop["anyOf"]?.toList()?.filter { it["type"]?.asText() != "null" } ?: listOf(prop)
        val p = variants.single()
        ref(p)?.let { r ->
            enums[r]?.let { return if (type == it.java) null else "want ${it.simpleName}" }
            if (r == "RefundStatus") return if (type == RefundStatus::class.java) null else "want RefundStatus"
            if (r == "ErrorCode" || r == "Family") return if (type == String::class.java) null else "want String"
            if (r == "RefundDestination") return if (type == RefundDestination::class.java) null else "want RefundDestination"
            val target = shapes[r] ?: return "no class for $r"
            return if (type == target.cls.java) null else "want ${target.cls.simpleName}"
        }
        val types = when (val t = p["type"]) {
            null -> listOf<String>()
            else -> if (t.isArray) t.map { it.asText() } else listOf(t.asText())
        }.filter { it != "null" }
        val format = p["format"]?.asText()
        return when {
            p["pattern"]?.asText()?.contains("\\d+(\\.\\d+)?") == true -> if (type == BigDecimal::class.java) null else "want BigDecimal"
            format == "date-time" -> if (type == OffsetDateTime::class.java) null else "want OffsetDateTime"
            format == "date" -> if (type == LocalDate::class.java) null else "want LocalDate"
            types == listOf("integer") -> if (type in setOf(Long::class.java, java.lang.Long::class.java, Int::class.java, Integer::class.java)) null else "want a Long"
            types == listOf("string") -> if (type == String::class.java) null else "want String"
            types == listOf("boolean") -> if (type == Boolean::class.java || type == java.lang.Boolean::class.java) null else "want Boolean"
            types == listOf("array") -> if (List::class.java.isAssignableFrom(type)) accepts(p["items"], genericElement ?: Any::class.java, null) else "want a List"
            types == listOf("object") -> if (Map::class.java.isAssignableFrom(type)) null else "want a Map"
            types.isEmpty() -> null // any JSON (OtherEvent.body)
            else -> "unhandled schema $p"
        }
    }

    @Test
    fun everyFieldOfEveryShapeIsThere() {
        val problems = mutableListOf<String>()
        for ((name, shape) in shapes) {
            val def = defs[name]
            if (def == null) {
                problems.add("$name: not in the schema")
                continue
            }
            for ((prop, node) in def["properties"].properties()) {
                val kotlinName = shape.renames[prop] ?: prop
                val g = getter(shape.cls.java, kotlinName)
                if (g == null) {
                    problems.add("$name.$prop: ${shape.cls.simpleName} has no $kotlinName")
                    continue
                }
                val element = (g.genericReturnType as? ParameterizedType)?.actualTypeArguments?.firstOrNull() as? Class<*>
                accepts(node, g.returnType, element)?.let { problems.add("$name.$prop: ${g.returnType.simpleName} but $it") }
            }
        }
        assertEquals(emptyList<String>(), problems)
    }

    @Test
    fun everyEnumHasTheCoresValues() {
        for ((name, cls) in enums) {
            val def = defs[name]
            val values = (def["enum"]?.map { it.asText() } ?: def["oneOf"].flatMap { v -> v["enum"]?.map { it.asText() } ?: listOf(v["const"].asText()) }).toSet()
            val ours = cls.java.enumConstants.map { (it as WireValue).wire }.toSet()
            assertEquals(values, ours, name)
        }
        val destination = defs["RefundDestination"]["oneOf"].map { it["properties"]["type"]["const"].asText() }.toSet()
        assertEquals(setOf("bank_account", "ewallet"), destination)
        assertTrue(getter(RefundDestination.BankAccount::class.java, "cci") != null && getter(RefundDestination.Ewallet::class.java, "phone") != null)
    }

    @Test
    fun everyRootIsCovered() {
        for (root in schema["roots"].map { it.asText() }) {
            assertTrue(root in shapes || root in notExposed, "schema root $root has no JVM type")
        }
    }
}
