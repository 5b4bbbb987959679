// Runs one case of tests/conformance/*.json through the public Kotlin API and compares it as the Rust runner does.
package pe.pagoefectivo

import com.fasterxml.jackson.core.JsonGenerator
import com.fasterxml.jackson.databind.DeserializationFeature
import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature
import com.fasterxml.jackson.databind.node.JsonNodeFactory
import com.fasterxml.jackson.databind.node.NullNode
import com.fasterxml.jackson.databind.node.ObjectNode
import pe.pagoefectivo.testing.Sandbox
import java.io.File
import java.math.BigDecimal
import java.math.BigInteger
import java.nio.charset.StandardCharsets
import java.time.Duration
import java.time.LocalDate
import java.time.LocalDateTime
import java.time.OffsetDateTime
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter

/** The outcome of one operation: its JSON result, or the typed error's comparable fields. */
data class Outcome(val ok: Boolean, val value: JsonNode)

object Conformance {
    /** Numbers stay exact (BigDecimal), so amounts are the text the case holds. */
    val mapper: ObjectMapper = ObjectMapper()
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
        .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
    private val nodes = JsonNodeFactory.withExactBigDecimals(true)

    val repo: File = File(System.getProperty("pagoefectivo.repo") ?: "../..")

    fun json(text: String): JsonNode = mapper.readTree(text)

    private val wire = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX")

    /**
     * A case's input as the JVM's native values: markers become `Double`, `BigDecimal`, `Long` or
     * `BigInteger`, `LocalDateTime`, `OffsetDateTime` and a string with a lone surrogate; a plain
     * JSON number with a fraction is a `Double` (the JSON a float makes), an integer a `Long`.
     */
    fun native(v: JsonNode?): Any? = when {
        v == null || v.isNull -> null
        v.isObject && v.size() == 1 && v.fieldNames().next().startsWith("$") -> {
            val (k, x) = v.properties().first()
            val t = x.asText()
            when (k) {
                "\$float" -> t.toDouble()
                "\$decimal" -> BigDecimal(t)
                "\$int" -> t.toLongOrNull() ?: BigInteger(t)
                "\$naive" -> LocalDateTime.parse(t)
                "\$aware" -> OffsetDateTime.parse(t)
                "\$surrogate" -> "\uD800" + t
                else -> error("unknown marker $k")
            }
        }
        v.isObject -> LinkedHashMap<String, Any?>().also { m -> v.properties().forEach { (k, x) -> m[k] = native(x) } }
        v.isArray -> v.map { native(it) }
        v.isTextual -> v.asText()
        v.isBoolean -> v.asBoolean()
        v.isIntegralNumber -> if (v.canConvertToLong()) v.asLong() else v.bigIntegerValue()
        v.isNumber -> v.asText().toDouble()
        else -> error("unexpected $v")
    }

    /** A typed result (the public records) as JSON with the case files' names and wire forms. */
    fun tree(v: Any?): JsonNode = when (v) {
        null -> NullNode.instance
        is JsonNode -> v
        is String -> nodes.textNode(v)
        is Boolean -> nodes.booleanNode(v)
        is Int -> nodes.numberNode(v.toLong())
        is Long -> nodes.numberNode(v)
        is BigInteger -> nodes.numberNode(v)
        is BigDecimal -> nodes.textNode(v.toPlainString())
        is OffsetDateTime -> nodes.textNode(wire.format(v.withOffsetSameInstant(ZoneOffset.ofHours(-5))))
        is LocalDate -> nodes.textNode(v.toString())
        is WireValue -> nodes.textNode(v.wire)
        is Enum<*> -> nodes.textNode(v.name)
        is Map<*, *> -> nodes.objectNode().also { o ->
            v.forEach { (k, x) -> o.set<JsonNode>(if (k is WireValue) k.wire else k.toString(), tree(x)) }
        }
        is Iterable<*> -> nodes.arrayNode().also { a -> v.forEach { a.add(tree(it)) } }
        is Event -> (record(v) as ObjectNode).put(
            "type",
            when (v) {
                is Event.CipPaid -> "cip_paid"
                is Event.Refund -> "refund"
                is Event.Other -> "other"
            },
        )
        else -> record(v)
    }

    /** A data class through its getters; `kind` is the schema's `class`. */
    private fun record(v: Any): JsonNode {
        val o = nodes.objectNode()
        for (m in v.javaClass.methods.sortedBy { it.name }) {
            if (m.parameterCount != 0 || m.declaringClass == Any::class.java || m.name == "getClass") continue
            val name = when {
                m.name.startsWith("get") && m.name.length > 3 -> m.name.substring(3).replaceFirstChar { it.lowercase() }
                else -> continue
            }
            if (m.declaringClass.name.startsWith("java.")) continue
            o.set<JsonNode>(if (name == "kind") "class" else name, tree(m.invoke(v)))
        }
        return o
    }

    fun error(e: PagoEfectivoException): JsonNode {
        val o = mapper.createObjectNode()
        o.put("code", e.code)
        o.put("reason", e.reason)
        o.put("http_status", e.httpStatus)
        o.put("pe_code", e.peCode)
        o.put("retryable", e.retryable)
        o.put("attempts", e.attempts)
        val fields = o.putArray("fields")
        e.fieldErrors.map { it.field }.distinct().sorted().forEach { fields.add(it) }
        return o
    }

    fun outcome(f: () -> Any?): Outcome = try {
        Outcome(true, tree(f()))
    } catch (e: PagoEfectivoException) {
        Outcome(false, error(e))
    }

    @Suppress("UNCHECKED_CAST")
    private fun map(v: Any?): Map<String, Any?> = v as Map<String, Any?>

    /** A time given as text in a case, as the JVM's native aware time (null when it has none). */
    private fun aware(v: Any?): OffsetDateTime? = when (v) {
        is OffsetDateTime -> v
        is String -> runCatching { OffsetDateTime.parse(v) }.getOrNull()
        else -> null
    }

    fun offline(op: String, input: Any?): Outcome = outcome {
        when (op) {
            "auth.hash_string" -> map(input).let {
                Auth.hashString(it["idService"] as Long, it["accessKey"] as String?, it["secretKey"] as String?, it["dateRequest"] as String?)
            }
            "webhook.verify" -> map(input).let {
                Webhooks.constructEvent((it["body"] as String?)?.toByteArray(StandardCharsets.UTF_8), it["signature"] as String?, it["secret"] as String?)
            }
            "time.parse" -> when (input) {
                is String -> LimaTime.parse(input)
                else -> LimaTime.of(input as java.time.temporal.TemporalAccessor)
            }
            "cip.status" -> CipStatus.fromCode(input as Long)
            "cip.validate_create" -> CreateCipRequest.validate(map(input)).let { null }
            "refund.validate" -> CreateRefundRequest.validate(map(input)).let { null }
            "payee.cci" -> Cci.validate(input as String?).let { null }
            "config.from_env" -> {
                @Suppress("UNCHECKED_CAST")
                Config.fromEnv(input as Map<String, String>).settings
            }
            "reconcile.run" -> Reconcile.run(map(input))
            "reconcile.business_days" -> map(input).let {
                val date = LocalDate.parse(it["date"] as String)
                when (val days = it["days"]) {
                    is Long -> mapOf("due" to BusinessCalendar.addBusinessDays(date, days), "isBusinessDay" to BusinessCalendar.isBusinessDay(date))
                    // A Double (or a count past 2^63) has no place in the typed `Long` parameter: the
                    // operation by name takes the native value and the core refuses it.
                    else -> Operations.call("reconcile.business_days", it)
                }
            }
            "dedup.sequence" -> dedupSequence(map(input))
            else -> throw IllegalArgumentException("unknown op $op")
        }
    }

    /** Signs the cases' bodies so the events come from the public `Webhooks.constructEvent`, as a merchant's do. */
    private const val DEDUP_SECRET = "conformance_dedup_secret"

    /**
     * `{options, steps: [{op, body} | {op: "sleep", ms}]}` on one [Deduplicator]: each step's answer, or
     * `{error}` for a step that failed; options the deduplicator refuses fail the case (thrown out of here).
     * Options the typed `Deduplicator.create(url, ttl, lease)` can hold go through it; others (a misspelt
     * name, a value of another type) through `Deduplicator.fromOptions`, which hands them to the core as given.
     */
    private fun dedupSequence(input: Map<String, Any?>): List<Any?> {
        val options = map(input["options"] ?: emptyMap<String, Any?>())
        val typed = setOf("url", "ttlMs", "leaseMs").containsAll(options.keys) &&
            (options["url"] == null || options["url"] is String) &&
            listOf("ttlMs", "leaseMs").all { options[it] == null || options[it] is Long }
        val dedup = if (typed) {
            Deduplicator.create(
                options["url"] as String?,
                (options["ttlMs"] as Long?)?.let(Duration::ofMillis),
                (options["leaseMs"] as Long?)?.let(Duration::ofMillis),
            )
        } else {
            Deduplicator.fromOptions(options)
        }
        val answers = mutableListOf<JsonNode>()
        dedup.use { d ->
            for (s in input["steps"] as List<*>) {
                val step = map(s)
                val op = step["op"] as String
                if (op == "sleep") {
                    Thread.sleep(step["ms"] as Long)
                    continue
                }
                val answer = outcome {
                    val body = (step["body"] as String).toByteArray(StandardCharsets.UTF_8)
                    val event = Webhooks.constructEvent(body, Webhooks.sign(body, DEDUP_SECRET), DEDUP_SECRET)
                    when (op) {
                        "begin" -> d.begin(event)
                        "complete" -> d.complete(event).let { null }
                        "fail" -> d.fail(event).let { null }
                        "first_delivery" -> d.firstDelivery(event)
                        "forget" -> d.forget(event).let { null }
                        else -> throw IllegalArgumentException("unknown dedup op $op")
                    }
                }
                answers.add(if (answer.ok) answer.value else mapper.createObjectNode().set<JsonNode>("error", answer.value))
            }
        }
        return answers
    }

    /** Partial match: every key of [want] must be in [got] with a matching value. Returns the first difference. */
    fun check(want: JsonNode, got: JsonNode?, path: String): String? {
        val g = got ?: NullNode.instance
        return when {
            want.isObject -> if (!g.isObject) "$path: want an object, got $g" else
                want.properties().firstNotNullOfOrNull { (k, w) -> check(w, g[k], "$path.$k") }
            want.isArray -> if (!g.isArray || g.size() != want.size()) "$path: want $want, got $g" else
                (0 until want.size()).firstNotNullOfOrNull { check(want[it], g[it], "$path[$it]") }
            want.isNumber && g.isNumber -> if (want.asText() == g.asText() || want.decimalValue().compareTo(g.decimalValue()) == 0) null
            else "$path: want $want, got $g"
            else -> if (want == g) null else "$path: want $want, got $g"
        }
    }

    fun checkOutcome(expect: JsonNode?, o: Outcome): String? {
        val e = expect ?: mapper.createObjectNode()
        return when {
            e.has("ok") && o.ok -> check(e["ok"], o.value, "ok")
            e.has("error") && !o.ok -> check(e["error"], o.value, "error")
            !e.has("ok") && !e.has("error") -> if (o.ok) null else "want success, got ${o.value}"
            else -> "want $e, got ${if (o.ok) "ok" else "error"} ${o.value}"
        }
    }

    /** Runs a scenario against a fresh sandbox; returns the first failing step, or null. */
    fun scenario(input: JsonNode): String? {
        val options = linkedMapOf<String, Any?>("webhookRetryDelayMs" to 50)
        input.at("/sandbox/tokenLifetimeSeconds").takeUnless { it.isMissingNode }?.let { options["tokenLifetimeSeconds"] = it.asLong() }
        input.at("/sandbox/maxAmount").takeUnless { it.isMissingNode }?.let { options["maxAmount"] = it.asText() }
        Sandbox.start(options).use { sb ->
            val client = input["client"] ?: mapper.createObjectNode()
            // Short back-offs keep fault scenarios fast, as in core/tests/common/mod.rs.
            val config = sb.clientOptions().toMutableMap()
            config["request_timeout_ms"] = client["requestTimeoutMs"]?.asLong() ?: 5000
            config["total_timeout_ms"] = 15000
            config["max_attempts"] = client["maxAttempts"]?.asLong() ?: 3
            config["initial_backoff_ms"] = 10
            config["max_backoff_ms"] = 50
            client["secretKey"]?.let { config["secret_key"] = it.asText() }
            val c = try {
                PagoEfectivo(Config.fromOptions(config))
            } catch (e: PagoEfectivoException) {
                return "client: ${error(e)}"
            }
            c.use {
                val saved = mutableMapOf<String, JsonNode>()
                input["steps"].forEachIndexed { i, step ->
                    val does = step["do"].asText()
                    val args = native(resolve(step["args"] ?: NullNode.instance, saved))
                    val result = outcome { step(c, sb, does, args) }
                    val expect = resolve(step["expect"] ?: mapper.createObjectNode(), saved)
                    checkOutcome(expect, result)?.let { return "step $i $does: $it" }
                    step["save"]?.let { if (result.ok) saved[it.asText()] = result.value }
                }
            }
        }
        return null
    }

    private val nowPlus = Regex("""^[$]now\+(\d+)h$""")

    private fun resolve(v: JsonNode, saved: Map<String, JsonNode>): JsonNode = when {
        v.isTextual && nowPlus.matches(v.asText()) -> {
            val hours = nowPlus.find(v.asText())!!.groupValues[1].toLong()
            nodes.textNode(OffsetDateTime.now(ZoneOffset.ofHours(-5)).plusHours(hours).format(wire))
        }
        v.isTextual && v.asText().startsWith("$") -> {
            val (name, field) = v.asText().substring(1).split(".", limit = 2)
            saved.getValue(name)[field]
        }
        v.isObject && !(v.size() == 1 && v.fieldNames().next().startsWith("$")) -> mapper.createObjectNode().also { o ->
            v.properties().forEach { (k, x) -> o.set<JsonNode>(k, resolve(x, saved)) }
        }
        v.isArray -> mapper.createArrayNode().also { a -> v.forEach { a.add(resolve(it, saved)) } }
        else -> v
    }

    private val fast = { timeoutMs: Any? -> WaitOptions((timeoutMs as Long?)?.let(Duration::ofMillis), Duration.ofMillis(20), Duration.ofMillis(200)) }

    private fun step(c: PagoEfectivo, sb: Sandbox, does: String, args: Any?): Any? {
        val a = if (args == null) emptyMap() else map(args)
        val cip = a["cip"]
        return when (does) {
            "cips.create" -> Requests.cip(a)?.let { c.cips().create(it) } ?: c.cips().create(a)
            "cips.get" -> when (cip) {
                is Long -> c.cips().get(cip)
                is String -> c.cips().get(cip)
                // 2^63 (a BigInteger) or a Double has no place in `get(Long)`: the operation by name takes it.
                else -> c.call("cips.get", a)
            }
            "cips.search" -> (a["cips"] as List<*>).let { list ->
                if (list.all { it is Long }) c.cips().search(list.map { it as Long }) else c.call("cips.search", a)
            }
            "cips.extend" -> {
                val at = aware(a["dateExpiry"])
                if (cip is Long && at != null) c.cips().extend(cip, at) else c.call("cips.extend", a)
                null
            }
            "cips.delete" -> if (cip is Long) c.cips().delete(cip).let { null } else c.call("cips.delete", a)
            "cips.wait_for_final_status" -> c.cips().waitForFinalStatus(cip as Long, fast(a["timeoutMs"]))
            "refunds.create" -> Requests.refund(a)?.let { c.refunds().create(it) } ?: c.refunds().create(a)
            "refunds.get" -> c.refunds().get(a["refundId"] as String)
            "refunds.list" -> c.refunds().list(cip as Long)
            "refunds.eligibility" -> c.refunds().eligibility(cip as Long, (a["refundWindowDays"] as Long?)?.toInt())
            "refunds.wait_for_final_status" -> c.refunds().waitForFinalStatus(a["refundId"] as String, fast(a["timeoutMs"]))
            "sandbox.pay" -> sb.pay(cip as Long).let { mapOf("cip" to it.cip, "operationNumber" to it.operationNumber, "datePayment" to it.datePayment) }
            "sandbox.expire" -> sb.expire(cip as Long).let { null }
            "sandbox.advance_clock" -> sb.advanceClock(a["seconds"] as Long).let { null }
            "sandbox.fault" -> sb.fault(a).let { null }
            "sandbox.request_count" -> sb.requestCount(a["endpoint"] as String)
            "sandbox.deliveries" -> sb.deliveries((a["count"] as Long?)?.toInt() ?: 0, 5000).map {
                mapOf("eventType" to it.eventType, "url" to it.url, "body" to it.body, "signature" to it.signature, "statuses" to it.statuses)
            }
            "sandbox.refund" -> sb.refund(a["refundId"] as String, a["to"] as String, a["reasonCode"] as String?).let { null }
            "sandbox.refund_count" -> sb.refunds().size.toLong()
            "webhook.verify_delivery" -> sb.deliveries(0, 5000)[(a["index"] as Long).toInt()].let {
                Webhooks.constructEvent(it.body.toByteArray(StandardCharsets.UTF_8), it.signature, sb.secretKey)
            }
            else -> throw IllegalArgumentException("unknown step $does")
        }
    }
}
