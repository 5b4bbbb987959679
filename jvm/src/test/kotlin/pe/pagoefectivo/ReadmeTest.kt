// The Kotlin example of jvm/README.md, run against the sandbox so the documented calls stay true.
package pe.pagoefectivo

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import pe.pagoefectivo.ffi.PagoEfectivoClient
import pe.pagoefectivo.ffi.PagoEfectivoException
import pe.pagoefectivo.ffi.Sandbox
import java.math.BigDecimal

class ReadmeTest {
    @Test
    fun theReadmeExampleRuns() {
        Sandbox.start(emptyMap()).use { sb ->
            val client = PagoEfectivoClient(sb.clientConfig())
            val cip = client.cipsCreate("""{"currency":"PEN","amount":"149.90","transactionCode":"ORD-1001",
                "userEmail":"ana@example.pe","paymentConcept":"Order 1001"}""")
            assertEquals(BigDecimal("149.90"), cip.amountValue)
            assertEquals("generated", client.cipsGet(cip.cip).status)
            val e = try {
                client.cipsCreate("""{"currency":"PEN","amount":"149.905"}""")
                null
            } catch (e: PagoEfectivoException.Failed) {
                e
            }
            assertEquals("validation_error", e?.code)
            assertEquals("149.90", wireAmount(BigDecimal("149.90")))
            assertEquals("1000", wireAmount(BigDecimal("1E+3")))
            client.close()
        }
    }
}
