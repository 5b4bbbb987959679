// Runs one case of tests/conformance/*.json through the public Kotlin API and compares it as the Rust runner does.
package pe.pagoefectivo

import com.fasterxml.jackson.core.JsonGenerator
import com.fasterxml.jackson.databind.DeserializationFeature
import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature
import com.fasterxml.jackson.databind.node.NullNode
import com.fasterxml.jackson.databind.node.ObjectNode
import pe.pagoefectivo.ffi.PagoEfectivoClient
import pe.pagoefectivo.ffi.PagoEfectivoException
import pe.pagoefectivo.ffi.Sandbox
import pe.pagoefectivo.ffi.WebhookEvent
import java.io.File
import java.time.OffsetDateTime
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter
import pe.pagoefectivo.ffi.addBusinessDays
import pe.pagoefectivo.ffi.cipStatusName
import pe.pagoefectivo.ffi.configFromEnv
import pe.pagoefectivo.ffi.hashString
import pe.pagoefectivo.ffi.isBusinessDay
import pe.pagoefectivo.ffi.parseTime
import pe.pagoefectivo.ffi.reconcile
import pe.pagoefectivo.ffi.validateCci
import pe.pagoefectivo.ffi.validateCreateCip
import pe.pagoefectivo.ffi.validateRefund
import pe.pagoefectivo.ffi.webhookVerify

/** The outcome of one operation: its JSON result, or the typed error's comparable fields. */
data class Outcome(val ok: Boolean, val value: JsonNode)

object Conformance {
    /** Numbers stay exact (BigDecimal), so amounts sent back to the core are the text the case holds. */
    val mapper: ObjectMapper = ObjectMapper()
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
        .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)

    val repo: File = File(System.getProperty("pagoefectivo.repo") ?: "..")

    fun json(text: String): JsonNode = mapper.readTree(text)

    /** A typed result (a generated data class) as JSON with the case files' camelCase keys. */
    fun tree(value: Any): JsonNode = mapper.valueToTree(value)

    /** A webhook event as the case files write it: its fields and a `type` tag (the Kotlin variant). */
    fun event(e: WebhookEvent): JsonNode {
        val o = tree(e) as ObjectNode
        when (e) {
            is WebhookEvent.CipPaid -> o.put("type", "cip_paid")
            is WebhookEvent.RefundChanged -> o.put("type", "refund")
            is WebhookEvent.Other -> o.put("type", "other").set<JsonNode>("body", json(e.bodyJson))
        }
        return o
    }

    fun error(e: PagoEfectivoException.Failed): JsonNode {
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

    fun outcome(f: () -> JsonNode?): Outcome = try {
        Outcome(true, f() ?: NullNode.instance)
    } catch (e: PagoEfectivoException.Failed) {
        Outcome(false, error(e))
    }

    private fun stringMap(node: JsonNode): Map<String, String> =
        node.properties().associate { (k, v) -> k to (if (v.isTextual) v.asText() else v.toString()) }

    fun offline(op: String, input: JsonNode): Outcome = outcome {
        when (op) {
            "auth.hash_string" -> mapper.valueToTree(
                hashString(input["idService"].asLong(), input["accessKey"].asText(),
                    input["secretKey"].asText(), input["dateRequest"].asText())
            )
            "webhook.verify" -> event(
                webhookVerify(input["body"].asText().toByteArray(Charsets.UTF_8),
                    input["signature"]?.takeUnless { it.isNull }?.asText(), input["secret"].asText())
            )
            "time.parse" -> mapper.valueToTree(parseTime(input.asText()))
            "cip.status" -> mapper.valueToTree(cipStatusName(input.asLong()))
            "cip.validate_create" -> { validateCreateCip(input.toString()); null }
            "refund.validate" -> { validateRefund(input.toString()); null }
            "payee.cci" -> { validateCci(input.asText()); null }
            "config.from_env" -> json(configFromEnv(stringMap(input)))
            "reconcile.run" -> json(reconcile(input.toString()))
            "reconcile.business_days" -> mapper.createObjectNode()
                .put("due", addBusinessDays(input["date"].asText(), input["days"].asInt()))
                .put("isBusinessDay", isBusinessDay(input["date"].asText()))
            else -> throw IllegalArgumentException("unknown op $op")
        }
    }

    /** Partial match: every key of [want] must be in [got] with a matching value. Returns the first difference. */
    fun check(want: JsonNode, got: JsonNode?, path: String): String? {
        val g = got ?: NullNode.instance
        return when {
            want.isObject -> if (!g.isObject) "$path: want an object, got $g" else
                want.properties().firstNotNullOfOrNull { (k, w) -> check(w, g[k], "$path.$k") }
            want.isArray -> if (!g.isArray || g.size() != want.size()) "$path: want $want, got $g" else
                (0 until want.size()).firstNotNullOfOrNull { check(want[it], g[it], "$path[$it]") }
            want.isNumber && g.isNumber ->
                if (want.decimalValue().compareTo(g.decimalValue()) == 0) null else "$path: want $want, got $g"
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
        val options = mutableMapOf<String, String>()
        input.at("/sandbox/tokenLifetimeSeconds").takeUnless { it.isMissingNode }?.let {
            options["token_lifetime_seconds"] = it.asText()
        }
        input.at("/sandbox/maxAmount").takeUnless { it.isMissingNode }?.let { options["max_amount"] = it.asText() }
        val sb = Sandbox.start(options)
        try {
            val client = input["client"] ?: mapper.createObjectNode()
            // Short back-offs keep fault scenarios fast, as in core/tests/common/mod.rs.
            val config = sb.clientConfig().toMutableMap()
            config["request_timeout_ms"] = client["requestTimeoutMs"]?.asText() ?: "5000"
            config["total_timeout_ms"] = "15000"
            config["max_attempts"] = client["maxAttempts"]?.asText() ?: "3"
            config["initial_backoff_ms"] = "10"
            config["max_backoff_ms"] = "50"
            client["secretKey"]?.let { config["secret_key"] = it.asText() }
            val c = try {
                PagoEfectivoClient(config)
            } catch (e: PagoEfectivoException.Failed) {
                return "client: ${error(e)}"
            }
            c.use {
                val saved = mutableMapOf<String, JsonNode>()
                input["steps"].forEachIndexed { i, step ->
                    val does = step["do"].asText()
                    val args = resolve(step["args"] ?: NullNode.instance, saved)
                    val result = outcome { step(c, sb, does, args) }
                    val expect = resolve(step["expect"] ?: mapper.createObjectNode(), saved)
                    checkOutcome(expect, result)?.let { return "step $i $does: $it" }
                    step["save"]?.let { if (result.ok) saved[it.asText()] = result.value }
                }
            }
            return null
        } finally {
            sb.shutdown()
            sb.close()
        }
    }

    private val wire = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX")
    private val nowPlus = Regex("""^[$]now\+(\d+)h$""")

    private fun resolve(v: JsonNode, saved: Map<String, JsonNode>): JsonNode = when {
        v.isTextual && nowPlus.matches(v.asText()) -> {
            val hours = nowPlus.find(v.asText())!!.groupValues[1].toLong()
            mapper.valueToTree(OffsetDateTime.now(ZoneOffset.ofHours(-5)).plusHours(hours).format(wire))
        }
        v.isTextual && v.asText().startsWith("$") -> {
            val (name, field) = v.asText().substring(1).split(".", limit = 2)
            saved.getValue(name)[field]
        }
        v.isObject -> mapper.createObjectNode().also { o ->
            v.properties().forEach { (k, x) -> o.set<JsonNode>(k, resolve(x, saved)) }
        }
        v.isArray -> mapper.createArrayNode().also { a -> v.forEach { a.add(resolve(it, saved)) } }
        else -> v
    }

    private fun optLong(a: JsonNode, key: String): Long? = a[key]?.takeUnless { it.isNull }?.asLong()

    private fun step(c: PagoEfectivoClient, sb: Sandbox, does: String, a: JsonNode): JsonNode? = when (does) {
        "cips.create" -> tree(c.cipsCreate(a.toString()))
        "cips.get" -> tree(c.cipsGet(a["cip"].asLong()))
        "cips.search" -> tree(c.cipsSearch(a["cips"].map { it.asLong() }))
        "cips.extend" -> { c.cipsExtend(a["cip"].asLong(), a["dateExpiry"].asText()); null }
        "cips.delete" -> { c.cipsDelete(a["cip"].asLong()); null }
        "cips.wait_for_final_status" -> tree(c.cipsWaitForFinalStatus(a["cip"].asLong(), optLong(a, "timeoutMs"), 20, 200))
        "refunds.create" -> tree(c.refundsCreate(a.toString()))
        "refunds.get" -> tree(c.refundsGet(a["refundId"].asText()))
        "refunds.list" -> tree(c.refundsList(a["cip"].asLong()))
        "refunds.eligibility" -> tree(c.refundsEligibility(a["cip"].asLong(), optLong(a, "refundWindowDays")?.toInt()))
        "refunds.wait_for_final_status" -> tree(c.refundsWaitForFinalStatus(a["refundId"].asText(), optLong(a, "timeoutMs")))
        "sandbox.pay" -> sb.pay(a["cip"].asLong()).let {
            mapper.createObjectNode().put("cip", it.cip).put("operationNumber", it.operationNumber)
                .put("datePayment", it.datePayment)
        }
        "sandbox.expire" -> { sb.expire(a["cip"].asLong()); null }
        "sandbox.advance_clock" -> { sb.advanceClock(a["seconds"].asLong()); null }
        "sandbox.fault" -> { sb.fault(a.toString()); null }
        "sandbox.request_count" -> mapper.valueToTree(sb.requestCount(a["endpoint"].asText()))
        "sandbox.deliveries" -> mapper.createArrayNode().also { list ->
            sb.deliveries(optLong(a, "count")?.toInt() ?: 0, 5000).forEach { d ->
                val o: ObjectNode = list.addObject().put("eventType", d.eventType).put("url", d.url)
                    .put("body", d.body).put("signature", d.signature)
                val statuses = o.putArray("statuses")
                d.statuses.forEach { s -> if (s == null) statuses.addNull() else statuses.add(s) }
            }
        }
        "sandbox.refund" -> { sb.refund(a["refundId"].asText(), a["to"].asText(), a["reasonCode"]?.takeUnless { it.isNull }?.asText()); null }
        "sandbox.refund_count" -> mapper.valueToTree(json(sb.refunds()).size())
        "webhook.verify_delivery" -> {
            val d = sb.deliveries(0, 5000)[a["index"].asInt()]
            event(webhookVerify(d.body.toByteArray(Charsets.UTF_8), d.signature, sb.secretKey()))
        }
        else -> throw IllegalArgumentException("unknown step $does")
    }
}
