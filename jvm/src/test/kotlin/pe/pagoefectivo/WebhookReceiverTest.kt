// A merchant's webhook endpoint on loopback: the sandbox POSTs cip.paid, the handler verifies the raw bytes it received.
package pe.pagoefectivo

import com.sun.net.httpserver.HttpServer
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import pe.pagoefectivo.ffi.PagoEfectivoClient
import pe.pagoefectivo.ffi.PagoEfectivoException
import pe.pagoefectivo.ffi.Sandbox
import pe.pagoefectivo.ffi.WebhookEvent
import pe.pagoefectivo.ffi.webhookVerify
import java.math.BigDecimal
import java.net.InetSocketAddress
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit

class WebhookReceiverTest {
    @Test
    fun aPaymentReachesTheMerchantsEndpointVerified() {
        val events = LinkedBlockingQueue<Any>()
        val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
        Sandbox.start(emptyMap()).use { sb ->
            server.createContext("/webhooks/pagoefectivo") { exchange ->
                val raw = exchange.requestBody.readAllBytes()
                val status = try {
                    events.put(webhookVerify(raw, exchange.requestHeaders.getFirst("PE-Signature"), sb.secretKey()))
                    200
                } catch (e: PagoEfectivoException.Failed) {
                    events.put(e)
                    400
                }
                exchange.sendResponseHeaders(status, -1)
                exchange.close()
            }
            server.start()
            try {
                sb.setNotificationUrl("http://127.0.0.1:${server.address.port}/webhooks/pagoefectivo")
                PagoEfectivoClient(sb.clientConfig()).use { c ->
                    val cip = c.cipsCreate("""{"currency":"PEN","amount":"80.10","transactionCode":"hook-1",
                        "userEmail":"a@example.com","paymentConcept":"c"}""")
                    sb.pay(cip.cip)
                    val event = events.poll(5, TimeUnit.SECONDS)
                    assertTrue(event is WebhookEvent.CipPaid, "got $event")
                    val paid = event as WebhookEvent.CipPaid
                    assertEquals(cip.cip, paid.cip)
                    assertEquals(BigDecimal("80.10"), paid.amountValue)
                    assertEquals("hook-1", paid.transactionCode)
                    assertEquals(listOf<Int?>(200), sb.deliveries(1, 5000).single().statuses)
                }
            } finally {
                server.stop(0)
            }
        }
    }
}
