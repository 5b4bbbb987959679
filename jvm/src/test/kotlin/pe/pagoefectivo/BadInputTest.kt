// Hostile and malformed input gets a typed error with a stable code, never a crash; one client serves many threads.
package pe.pagoefectivo

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import pe.pagoefectivo.ffi.PagoEfectivoClient
import pe.pagoefectivo.ffi.PagoEfectivoException
import pe.pagoefectivo.ffi.Sandbox
import pe.pagoefectivo.ffi.addBusinessDays
import pe.pagoefectivo.ffi.cipStatusName
import pe.pagoefectivo.ffi.hashString
import pe.pagoefectivo.ffi.parseTime
import pe.pagoefectivo.ffi.reconcile
import pe.pagoefectivo.ffi.validateCreateCip
import pe.pagoefectivo.ffi.webhookVerify
import java.util.concurrent.Callable
import java.util.concurrent.Executors

class BadInputTest {
    private fun code(f: () -> Unit): String = assertThrows<PagoEfectivoException.Failed> { f() }.code

    @Test
    fun offlineFunctionsRefuseWithTypedErrors() {
        val garbage = byteArrayOf(0xff.toByte(), 0, 0xfe.toByte(), '{'.code.toByte())
        assertEquals("signature_verification_failed", code { webhookVerify(garbage, "00", "k") })
        assertEquals("validation_error", code { validateCreateCip("[".repeat(100_000)) })
        assertEquals("validation_error", code { validateCreateCip("\"\u0000\"") })
        // The core's time parser reads the wire, so its refusal is malformed_response (as in every binding).
        assertEquals("malformed_response", code { parseTime("yesterday") })
        assertEquals("validation_error", code { cipStatusName(-1) })
        assertEquals("validation_error", code { hashString(1L shl 40, "a", "b", "c") })
        assertEquals("validation_error", code { reconcile("""{"orders":"x"}""") })
        assertEquals("validation_error", code { addBusinessDays("2026-13-01", 1) })
        assertEquals("validation_error", code { addBusinessDays("2026-01-01", -1) })
    }

    @Test
    fun clientAndSandboxRefuseWithTypedErrors() {
        Sandbox.start(emptyMap()).use { sb ->
            PagoEfectivoClient(sb.clientConfig()).use { c ->
                assertEquals("validation_error", code { c.cipsSearch(listOf(1, -2)) })
                assertEquals("validation_error", code { c.cipsExtend(1, "not a time") })
                assertEquals("validation_error", code { c.cipsWaitForFinalStatus(1, -1, null, null) })
                assertEquals("validation_error", code { c.refundsEligibility(1, -3) })
                assertEquals("validation_error", code { c.refundsCreate("{}") })
            }
            assertEquals("validation_error", code { sb.fault("""{"kind":"nonsense"}""") })
            assertEquals("validation_error", code { sb.requestCount("nowhere") })
            assertEquals("validation_error", code { sb.refund("r", "sideways", null) })
            assertEquals("not_found", code { sb.pay(424242) })
            assertEquals("validation_error", code { sb.deliveries(-1, 10) })
            assertEquals("validation_error", code { Sandbox.start(mapOf("max_amount" to "lots")) })
            sb.shutdown()
            sb.shutdown()
        }
        assertEquals("configuration_error", code { PagoEfectivoClient(mapOf("id_service" to "abc")) })
        assertEquals("configuration_error", code { PagoEfectivoClient(mapOf("PAGOEFECTIVO_SERVICE_ID" to "1")) })
    }

    @Test
    fun oneClientServesManyThreads() {
        Sandbox.start(emptyMap()).use { sb ->
            PagoEfectivoClient(sb.clientConfig()).use { c ->
                val pool = Executors.newFixedThreadPool(8)
                try {
                    val tasks = (1..32).map { i ->
                        Callable {
                            c.cipsCreate("""{"currency":"PEN","amount":"$i.10","transactionCode":"t-$i",
                                "userEmail":"a@example.com","paymentConcept":"c"}""")
                        }
                    }
                    val created = pool.invokeAll(tasks).map { it.get() }
                    assertEquals(32, created.map { it.cip }.toSet().size)
                    assertEquals((1..32).map { "$it.10" }.toSet(), created.map { it.amount }.toSet())
                    // One token for all of them: the core's cache is shared across threads.
                    assertEquals(1L, sb.requestCount("authorizations"))
                } finally {
                    pool.shutdown()
                }
            }
        }
    }
}
