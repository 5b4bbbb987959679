// The Kotlin API end to end against the real sandbox: lifecycle, typed errors, money as BigDecimal, secrets hidden.
package pe.pagoefectivo

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import pe.pagoefectivo.ffi.PagoEfectivoClient
import pe.pagoefectivo.ffi.PagoEfectivoException
import pe.pagoefectivo.ffi.Sandbox
import java.math.BigDecimal

class ClientTest {
    private val request = """{"currency":"PEN","amount":"25.50","transactionCode":"order-1",
        "userEmail":"buyer@example.com","paymentConcept":"Order 1","userDocumentType":"DNI",
        "userDocumentNumber":"12345678","userName":"Ana","userLastName":"Quispe"}"""

    @Test
    fun createPayAndReadBack() {
        Sandbox.start(emptyMap()).use { sb ->
            PagoEfectivoClient(sb.clientConfig()).use { client ->
                val created = client.cipsCreate(request)
                val cip = created.cip
                assertEquals(BigDecimal("25.50"), created.amountValue)
                assertEquals("PEN", created.currency)
                assertTrue(created.dateExpiry.endsWith("-05:00"))
                val info = client.cipsGet(cip)
                assertEquals("generated", info.status)
                assertEquals(null, info.datePayment)
                val paid = sb.pay(cip)
                assertEquals(cip, paid.cip)
                assertFalse(paid.operationNumber.isEmpty())
                val final = client.cipsWaitForFinalStatus(cip, 5000, 20, 200)
                assertEquals("paid", final.status)
                assertTrue(final.datePayment!!.endsWith("-05:00"))
                assertEquals(listOf(cip), client.cipsSearch(listOf(cip)).map { it.cip })
                val eligibility = client.refundsEligibility(cip, null)
                assertEquals(BigDecimal("25.50"), eligibility.refundableAmountValue)
                assertEquals(null, eligibility.blockedBy)
            }
            sb.shutdown()
        }
    }

    @Test
    fun errorsCarryTheStableCodeAndFields() {
        Sandbox.start(emptyMap()).use { sb ->
            PagoEfectivoClient(sb.clientConfig()).use { client ->
                val e = assertThrows<PagoEfectivoException.Failed> { client.cipsGet(999_999_999_999L) }
                assertEquals("not_found", e.code)
                val bad = assertThrows<PagoEfectivoException.Failed> { client.cipsCreate("""{"amount":"-1"}""") }
                assertEquals("validation_error", bad.code)
                assertTrue(bad.fieldErrors.isNotEmpty())
                val negative = assertThrows<PagoEfectivoException.Failed> { client.cipsGet(-1) }
                assertEquals("validation_error", negative.code)
                val json = assertThrows<PagoEfectivoException.Failed> { client.cipsCreate("{not json") }
                assertEquals("validation_error", json.code)
            }
        }
    }

    @Test
    fun badConfigurationIsATypedError() {
        val e = assertThrows<PagoEfectivoException.Failed> { PagoEfectivoClient(mapOf("acces_key" to "x")) }
        assertEquals("configuration_error", e.code)
        val sandboxOption = assertThrows<PagoEfectivoException.Failed> { Sandbox.start(mapOf("nope" to "1")) }
        assertEquals("validation_error", sandboxOption.code)
    }

    @Test
    fun secretsNeverAppearInToStringOrErrors() {
        val secret = "S3CR3T-never-shown-0000000000000000000000"
        val config = mapOf("access_key" to "ACCESSKEY00000000000", "secret_key" to "$secret\n",
            "id_service" to "1234", "base_url" to "http://127.0.0.1:9/v1/")
        val e = assertThrows<PagoEfectivoException.Failed> { PagoEfectivoClient(config) }
        assertFalse(e.toString().contains(secret))
        assertFalse(e.message.orEmpty().contains(secret))
        assertFalse(e.detail.contains(secret))
        val good = config + ("secret_key" to secret)
        PagoEfectivoClient(good).use { client ->
            assertFalse(client.toString().contains(secret))
            assertFalse(client.settings().contains(secret))
            // Nothing listens on port 9: the connection error must not echo the key either.
            val failed = assertThrows<PagoEfectivoException.Failed> { client.cipsGet(1) }
            assertFalse(failed.toString().contains(secret))
        }
    }
}
