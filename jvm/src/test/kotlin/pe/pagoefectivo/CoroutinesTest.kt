// The suspending forms run concurrently from coroutines against the sandbox, errors still typed.
package pe.pagoefectivo

import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import pe.pagoefectivo.ffi.PagoEfectivoClient
import pe.pagoefectivo.ffi.PagoEfectivoException
import pe.pagoefectivo.ffi.Sandbox

class CoroutinesTest {
    @Test
    fun suspendingCallsRunConcurrently() = runBlocking {
        Sandbox.start(emptyMap()).use { sb ->
            PagoEfectivoClient(sb.clientConfig()).use { c ->
                val created = (1..6).map { i ->
                    async {
                        c.createCip("""{"currency":"USD","amount":"$i.00","transactionCode":"co-$i",
                            "userEmail":"a@example.com","paymentConcept":"c"}""")
                    }
                }.awaitAll()
                sb.pay(created[0].cip)
                assertEquals("paid", c.awaitFinalStatus(created[0].cip, 5000).status)
                assertEquals(6, c.searchCips(created.map { it.cip }).size)
                val e = assertThrows<PagoEfectivoException.Failed> { runBlocking { c.getRefund("nope") } }
                assertEquals("not_found", e.code)
            }
        }
    }
}
