// CompletableFuture and suspend forms: completed by the core's runtime, stages on the client's executor, errors typed.
package pe.pagoefectivo

import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import pe.pagoefectivo.testing.Sandbox
import java.math.BigDecimal
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AsyncTest {
    private val sb = Sandbox.start()
    private val executor = Executors.newFixedThreadPool(2) { r -> Thread(r, "shop-callbacks") }
    private val client = PagoEfectivo(sb.config(), executor)

    @AfterAll
    fun stop() {
        client.close()
        sb.close()
        executor.shutdown()
    }

    private fun order(i: Int) = CreateCipRequest(Currency.PEN, BigDecimal("20.00"), "ASYNC-$i", "ana@example.pe")

    @Test
    fun futuresCompleteOnTheClientsExecutorNeverOnTheRuntime() {
        val threads = (0 until 64).map { i ->
            client.cips().createAsync(order(i)).thenApply { cip ->
                assertEquals(BigDecimal("20.00"), cip.amount)
                Thread.currentThread().name
            }
        }
        val names = CompletableFuture.allOf(*threads.toTypedArray()).thenApply { threads.map { it.join() } }.get(30, TimeUnit.SECONDS)
        // A stage added after its future completed runs on the thread adding it (the JDK's rule); the others on
        // the client's executor; none on the native runtime or the completions thread.
        assertTrue(names.none { it.startsWith("pagoefectivo") }, "$names")
        assertTrue(names.count { it == "shop-callbacks" } > names.size / 2, "$names")
    }

    @Test
    fun aFailedFutureCarriesTheTypedError() {
        val e = assertThrows(ExecutionException::class.java) { client.cips().getAsync(99_999_999_999_999).get(10, TimeUnit.SECONDS) }
        assertTrue(e.cause is NotFoundException, "${e.cause}")
        val bad = client.cips().createAsync(mapOf("amount" to 1.5))
        val v = assertThrows(ExecutionException::class.java) { bad.get(10, TimeUnit.SECONDS) }
        assertTrue(v.cause is ValidationException, "${v.cause}")
    }

    @Test
    fun kotlinSuspendsWithoutParkingAThread() = runBlocking {
        val s = client.suspending()
        val cips = (0 until 32).map { i -> async { s.cips().create(order(100 + i)) } }.awaitAll()
        assertEquals(32, cips.map { it.cip }.toSet().size)
        sb.pay(cips[0].cip)
        assertEquals(CipStatus.PAID, withTimeout(10_000) { s.cips().get(cips[0].cip) }.status)
        val e = assertThrows(NotFoundException::class.java) { runBlocking { s.cips().get(99_999_999_999_998) } }
        assertEquals("not_found", e.code)
    }

    @Test
    fun theAsyncWaitIsRuntimeDriven() {
        val cip = client.cips().create(order(999))
        val waiting = client.cips().waitForFinalStatusAsync(cip.cip, WaitOptions(java.time.Duration.ofSeconds(10), java.time.Duration.ofMillis(20), java.time.Duration.ofMillis(50)))
        sb.pay(cip.cip)
        assertEquals(CipStatus.PAID, waiting.get(10, TimeUnit.SECONDS).status)
    }
}
