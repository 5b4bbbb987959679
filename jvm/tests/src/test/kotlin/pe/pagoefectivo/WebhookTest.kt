// Notifications end to end: the sandbox POSTs signed notifications to a merchant endpoint (JDK HttpServer on
// loopback), which verifies the raw bytes, deduplicates, and answers; plus the refusals and their hints.
package pe.pagoefectivo

import com.sun.net.httpserver.HttpServer
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable
import pe.pagoefectivo.testing.Sandbox
import java.math.BigDecimal
import java.net.InetSocketAddress
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit

class WebhookTest {
    private val body = """{"eventType":"cip.paid","operationNumber":"1253","data":{"cip":"11546901","currency":"PEN","amount":22.05}}"""
    private val signature = "fcc07a2aa17273c870c820a32ca3ca628961c7f28e4d7ce8e0c8d9a7c26603a9"

    @Test
    fun aPaymentReachesTheMerchantsEndpointVerifiedOnce() {
        val events = LinkedBlockingQueue<Any>()
        val dedup = Deduplicator.inMemory()
        val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
        Sandbox.start(mapOf("webhookRetryDelayMs" to 50)).use { sb ->
            sb.client().use { client ->
                server.createContext("/webhooks/pagoefectivo") { exchange ->
                    val raw = exchange.requestBody.readAllBytes()
                    val status = try {
                        val event = client.webhooks().constructEvent(raw, Webhooks.findSignature(exchange.requestHeaders))
                        if (dedup.firstDelivery(event)) events.put(event)
                        200
                    } catch (e: SignatureVerificationException) {
                        events.put(e)
                        400
                    }
                    exchange.sendResponseHeaders(status, -1)
                    exchange.close()
                }
                server.start()
                try {
                    sb.setNotificationUrl("http://127.0.0.1:${server.address.port}/webhooks/pagoefectivo")
                    val cip = client.cips().create(CreateCipRequest(Currency.PEN, BigDecimal("80.10"), "hook-1", "a@example.com"))
                    val paid = sb.pay(cip.cip)
                    val event = events.poll(5, TimeUnit.SECONDS) as Event.CipPaid
                    assertEquals(cip.cip, event.cip)
                    assertEquals(BigDecimal("80.10"), event.amount)
                    assertEquals("hook-1", event.transactionCode)
                    assertEquals("cip.paid", event.eventType)
                    assertEquals("cip.paid:${paid.operationNumber}:${cip.cip}", event.dedupKey)
                    val delivery = sb.deliveries(1).single()
                    assertEquals(listOf<Int?>(200), delivery.statuses)
                    // The same delivery again is recognised; a forged one is refused with a reason.
                    assertFalse(dedup.firstDelivery(Webhooks.constructEvent(delivery.body.toByteArray(), delivery.signature, sb.secretKey)))
                } finally {
                    server.stop(0)
                }
            }
        }
    }

    @Test
    fun theDocumentedExampleAndTheUsualMistakes() {
        val e = Webhooks.constructEvent(body.toByteArray(), signature, "test_secret") as Event.CipPaid
        assertEquals(BigDecimal("22.05"), e.amount)
        assertEquals(11546901L, e.cip)
        assertEquals(signature, Webhooks.sign(body.toByteArray(), "test_secret"))
        assertTrue(Webhooks.constructEvent(body.toByteArray(), " ${signature.uppercase()} ", "test_secret") is Event.CipPaid)

        val padded = assertThrows(SignatureVerificationException::class.java) { Webhooks.constructEvent(body.toByteArray(), signature, "test_secret\n") }
        assertEquals("signature_mismatch", padded.reason)
        assertTrue(padded.hint!!.contains("whitespace"), padded.hint)
        assertFalse(padded.toString().contains("test_secret"))
        val pretty = body.replace(",", ", ")
        assertTrue(assertThrows(SignatureVerificationException::class.java) { Webhooks.constructEvent(pretty.toByteArray(), signature, "test_secret") }.hint!!.isNotEmpty())
        assertEquals("missing_signature", assertThrows(SignatureVerificationException::class.java) { Webhooks.constructEvent(body.toByteArray(), null, "k") }.reason)
        assertEquals("body_too_large", assertThrows(SignatureVerificationException::class.java) { Webhooks.constructEvent(ByteArray(70_000), signature, "k") }.reason)
        assertThrows(ValidationException::class.java) { Webhooks.constructEvent(body.toByteArray(), signature, null) }
        assertThrows(ValidationException::class.java) { Webhooks.constructEvent(null, signature, "k") }
    }

    @Test
    fun otherAndRefundEventsAreTyped() {
        val expired = """{"eventType":"cip.expired","operationNumber":"9","data":{"cip":"5"}}"""
        val other = Webhooks.constructEvent(expired.toByteArray(), Webhooks.sign(expired.toByteArray(), "k"), "k") as Event.Other
        assertEquals("cip.expired", other.eventType)
        assertEquals(5L, other.cip)
        assertEquals("cip.expired:9:5", other.dedupKey)
        assertEquals("9", other.body["operationNumber"])
        val refunded = """{"eventType":"refund.refunded","operationNumber":"10","data":{"refundId":"r1","cip":"5","currency":"PEN","amount":3.00,"status":"refunded"}}"""
        val r = Webhooks.constructEvent(refunded.toByteArray(), Webhooks.sign(refunded.toByteArray(), "k"), "k")
        assertTrue(r is Event.Refund, "$r")
        assertEquals(RefundStatus.REFUNDED, (r as Event.Refund).status)
    }

    /** The hot path's flat reply (bindings/jvm/src/event.rs) gives exactly what the core's JSON event says. */
    @Test
    fun theFlatEventIsTheCoresEventExactly() {
        val bodies = listOf(
            body,
            """{"eventType":"cip.paid","operationNumber":"7","data":{"cip":42,"currency":"USD","amount":"1500","paymentDate":"2026-11-20T18:04:11.250+02:00","transactionCode":"Ñandú-ü"}}""",
            """{"eventType":"cip.paid","operationNumber":"8","data":{"cip":"99999999999999","currency":"PEN","amount":0.10,"paymentDate":"2026-01-01T00:00:00-05:00"}}""",
            """{"eventType":"refund.refunded","operationNumber":"10","data":{"refundId":"r1","cip":"5","merchantRefundId":"m-1","currency":"PEN","amount":3.00,"status":"refunded","reasonCode":"R2"}}""",
            """{"eventType":"refund.rejected","operationNumber":"11","data":{"cip":"6","currency":"USD","amount":12.5,"status":"rejected"}}""",
        )
        for (b in bodies) {
            val raw = b.toByteArray()
            val sig = Webhooks.sign(raw, "k")
            val e = Webhooks.constructEvent(raw, sig, "k")
            @Suppress("UNCHECKED_CAST")
            val json = Operations.call("webhook.verify", mapOf("body" to b, "signature" to sig, "secret" to "k")) as Map<String, Any?>
            fun text(key: String) = json[key] as String?
            fun amount(): BigDecimal = BigDecimal(json["amount"].toString())
            fun time(key: String) = text(key)?.let { pe.pagoefectivo.internal.Interop.time(it) }
            val want: Event = when (json["type"]) {
                "cip_paid" -> Event.CipPaid(
                    text("eventType")!!, text("dedupKey")!!, text("operationNumber")!!, (json["cip"] as Number).toLong(),
                    Currency.valueOf(text("currency")!!), amount(), time("paymentDate"), text("transactionCode"),
                )
                else -> Event.Refund(
                    text("eventType")!!, text("dedupKey")!!, text("operationNumber")!!, text("refundId"), (json["cip"] as Number).toLong(),
                    text("merchantRefundId"), Currency.valueOf(text("currency")!!), amount(), RefundStatus.of(text("status")!!), text("reasonCode"),
                )
            }
            assertEquals(want, e, b)
            // BigDecimal's equals compares the scale too; say it for the amount anyway.
            assertEquals(amount().scale(), (if (e is Event.CipPaid) e.amount else (e as Event.Refund).amount).scale(), b)
        }
    }

    @Test
    fun aCipPast64BitsIsRefusedNeverClamped() {
        for (cip in listOf("9223372036854775808", "18446744073709551616", "100000000000000")) {
            val b = """{"eventType":"cip.paid","operationNumber":"1","data":{"cip":"$cip","currency":"PEN","amount":1.00}}""".toByteArray()
            val e = assertThrows(SignatureVerificationException::class.java) { Webhooks.constructEvent(b, Webhooks.sign(b, "k"), "k") }
            assertEquals("malformed_body", e.reason, cip)
        }
    }

    @Test
    fun theSignatureHeaderInAnyCase() {
        for (name in listOf("PE-Signature", "pe-signature", "Pe-Signature", "HTTP_PE_SIGNATURE")) {
            assertEquals("abc", Webhooks.findSignature(mapOf("Content-Type" to "x", name to listOf("abc"))))
        }
    }

    @Test
    fun leasesForSeveralWorkers() {
        Deduplicator.create(lease = java.time.Duration.ofSeconds(30)).use { d ->
            val e = Webhooks.constructEvent(body.toByteArray(), signature, "test_secret")
            assertEquals(Begin.STARTED, d.begin(e))
            assertEquals(Begin.IN_PROGRESS, d.begin(e))
            d.fail(e)
            assertEquals(Begin.STARTED, d.begin(e))
            d.complete(e)
            assertEquals(Begin.DUPLICATE, d.begin(e))
        }
    }

    /** Two servers sharing one store (the databases `scripts/services.sh` starts for `test-all.sh`). */
    private fun twoServers(url: String) {
        val e = Webhooks.constructEvent(body.toByteArray(), signature, "test_secret")
        Deduplicator.fromUrl(url).use { a ->
            Deduplicator.fromUrl(url).use { b ->
                a.forget(e)
                assertEquals(Begin.STARTED, a.begin(e))
                assertEquals(Begin.IN_PROGRESS, b.begin(e))
                a.complete(e)
                assertEquals(Begin.DUPLICATE, b.begin(e))
                a.forget(e)
            }
        }
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "PAGOEFECTIVO_TEST_POSTGRES_URL", matches = ".+")
    fun serversSharingPostgres() = twoServers(System.getenv("PAGOEFECTIVO_TEST_POSTGRES_URL"))

    @Test
    @EnabledIfEnvironmentVariable(named = "PAGOEFECTIVO_TEST_REDIS_URL", matches = ".+")
    fun serversSharingRedis() = twoServers(System.getenv("PAGOEFECTIVO_TEST_REDIS_URL"))
}
