// README.md's and jvm/README.md's Kotlin example is this file from its imports on; ReadmeTest checks that and runs it.
package pe.pagoefectivo.readme

import pe.pagoefectivo.Config
import pe.pagoefectivo.CreateCipRequest
import pe.pagoefectivo.Currency
import pe.pagoefectivo.PagoEfectivo
import java.math.BigDecimal
import java.time.OffsetDateTime

fun main() {
    // PAGOEFECTIVO_ACCESS_KEY, _SECRET_KEY, _SERVICE_ID and _ENVIRONMENT (sandbox by default).
    PagoEfectivo(Config.fromEnv()).use { client ->
        val order = CreateCipRequest(
            Currency.PEN, BigDecimal("149.90"), "ORD-1001", "ana@example.pe", // money is BigDecimal, never a double
            dateExpiry = OffsetDateTime.now().plusHours(48),
        )
        val cip = client.cips().create(order)
        println("CIP ${cip.cip} for ${cip.currency} ${cip.amount}: pay at ${cip.cipUrl}")
        println("status: ${client.cips().get(cip.cip).status}")
    }
}
