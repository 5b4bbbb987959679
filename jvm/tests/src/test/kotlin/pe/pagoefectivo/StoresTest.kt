// Many servers: the Deduplicator on real PostgreSQL and Redis servers (scripts/services.sh starts them and sets
// PAGOEFECTIVO_TEST_POSTGRES_URL / _REDIS_URL; test-jvm.sh and test-all.sh do), across JVM processes. Each process
// writes what it processed to its own file, so counting does not trust the store under test.
package pe.pagoefectivo

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assertions.fail
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import java.io.BufferedReader
import java.io.File
import java.io.InputStreamReader
import java.net.InetAddress
import java.net.ServerSocket
import java.net.Socket
import java.net.URI
import java.nio.file.Files
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.ThreadLocalRandom
import java.util.concurrent.TimeUnit

class StoresTest {
    private val stores = listOf("postgres" to "PAGOEFECTIVO_TEST_POSTGRES_URL", "redis" to "PAGOEFECTIVO_TEST_REDIS_URL")

    /** The server's URL; without it the test is skipped locally and fails in CI (`CI` set). */
    private fun url(variable: String): String {
        val url = System.getenv(variable)
        if (url.isNullOrEmpty()) {
            if (System.getenv("CI") != null) fail<Unit>("CI must run the store tests: $variable is not set (scripts/services.sh)")
            assumeTrue(false, "$variable is not set: bash scripts/test-jvm.sh starts the servers")
        }
        return url
    }

    private fun perStore(what: String, test: (String) -> Unit): List<DynamicTest> =
        stores.map { (store, variable) -> DynamicTest.dynamicTest("$store: $what") { test(url(variable)) } }

    private fun runId() = "jvm${ProcessHandle.current().pid()}x${Integer.toHexString(ThreadLocalRandom.current().nextInt())}"

    private fun event(run: String, n: Int, amount: String = "10.00") = StoreWorker.event(run, n, amount)

    @Test
    fun serversAreThereInCi() {
        if (System.getenv("CI") != null) {
            stores.forEach { (_, v) -> assertFalse(System.getenv(v).isNullOrEmpty(), "CI must run the store tests against $v") }
        }
    }

    @TestFactory
    fun theLeaseContractOnEveryStore() = perStore("lease, in progress, conflict, expiry, fail, complete, ttl") { url ->
        val run = runId()
        val (e, forged) = event(run, 1, "10.00") to event(run, 1, "99.00")
        Deduplicator.create(url, null, Duration.ofMillis(300)).use { d ->
            assertEquals(Begin.STARTED, d.begin(e))
            assertEquals(Begin.IN_PROGRESS, d.begin(e))
            assertEquals(Begin.CONFLICT, d.begin(forged))
            Thread.sleep(400)
            assertEquals(Begin.STARTED, d.begin(e), "an expired lease lets the next one in")
            d.fail(e)
            assertEquals(Begin.STARTED, d.begin(e), "fail releases")
            d.complete(e)
            assertEquals(Begin.DUPLICATE, d.begin(e))
            d.fail(e)
            assertEquals(Begin.DUPLICATE, d.begin(e), "fail does not undo completion")
            assertFalse(d.firstDelivery(e))
            d.forget(e)
            assertTrue(d.firstDelivery(e), "forget lets the redelivery in")
        }
        Deduplicator.create(url, Duration.ofMillis(300), null).use { short ->
            val e2 = event(run, 2, "1.00")
            assertTrue(short.firstDelivery(e2))
            assertFalse(short.firstDelivery(e2))
            Thread.sleep(400)
            assertTrue(short.firstDelivery(e2), "completed keys are kept for ttl only")
        }
    }

    /** `java -cp <this test classpath> pe.pagoefectivo.StoreWorker <args>`, its stderr to [err]. */
    private fun worker(err: File, vararg args: String): Process {
        val java = File(System.getProperty("java.home"), "bin/java").path
        val cp = System.getProperty("surefire.test.class.path") ?: System.getProperty("java.class.path")
        return ProcessBuilder(listOf(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", cp, StoreWorker::class.java.name) + args)
            .redirectError(err)
            .start()
    }

    /** Waits for a line [want] on the process's stdout (other lines, logs, are skipped). */
    private fun awaitLine(p: Process, want: String, seconds: Long, err: File): BufferedReader {
        val reader = BufferedReader(InputStreamReader(p.inputStream))
        val seen = CompletableFuture.supplyAsync { generateSequence { reader.readLine() }.any { it.trim() == want } }
        val ok = runCatching { seen.get(seconds, TimeUnit.SECONDS) }.getOrDefault(false)
        if (!ok) {
            // It exited (or hangs): its stderr says why, once it is written.
            p.waitFor(5, TimeUnit.SECONDS)
            fail<Unit>("no '$want' from the worker within $seconds s (exit ${if (p.isAlive) "none yet" else p.exitValue()}); its stderr:\n${err.readText()}")
        }
        return reader
    }

    @TestFactory
    fun fourProcessesProcessEachOf100EventsExactlyOnce() = perStore("4 JVMs x 1,000 concurrent deliveries of 100 events") { url ->
        val run = runId()
        val dir = Files.createTempDirectory("pe-dedup-$run").toFile()
        try {
            val procs = (0 until 4).map { i -> worker(File(dir, "worker-$i.err"), "deliveries", url, run, File(dir, "worker-$i.txt").path) }
            try {
                // All four connected, then all four at once.
                procs.forEachIndexed { i, p -> awaitLine(p, "ready", 120, File(dir, "worker-$i.err")) }
                procs.forEach { p -> p.outputStream.write("go\n".toByteArray()); p.outputStream.flush() }
                procs.forEachIndexed { i, p ->
                    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "worker $i did not finish")
                    assertEquals(0, p.exitValue(), "worker $i failed: ${File(dir, "worker-$i.err").readText()}")
                }
            } finally {
                procs.forEach { it.destroyForcibly() }
            }
            val perProcess = (0 until 4).map { File(dir, "worker-$it.txt").readLines().filter(String::isNotBlank) }
            val processed = perProcess.flatten()
            val expected = (0 until 100).map { event(run, it).dedupKey }.toSet()
            assertEquals(100, processed.size, "each event processed once in all (per process: ${perProcess.map { it.size }})")
            assertEquals(expected, processed.toSet(), "every event processed")
            // Not a test of scheduling, but one process doing everything would prove little: say so if it happens.
            if (perProcess.count { it.isNotEmpty() } < 2) System.err.println("StoresTest: one worker processed all 100 events ($url)")
        } finally {
            dir.deleteRecursively()
        }
    }

    @TestFactory
    fun aWorkerKilledMidProcessingLeavesItsEventToTheNext() = perStore("a worker killed mid-processing") { url ->
        val run = runId()
        val lease = Duration.ofSeconds(3)
        val err = File.createTempFile("pe-hold-", ".err")
        val held = worker(err, "hold", url, run, lease.toMillis().toString())
        try {
            awaitLine(held, "started", 120, err)
            val started = System.nanoTime()
            held.destroyForcibly()
            assertTrue(held.waitFor(30, TimeUnit.SECONDS))
            val e = event(run, 0, "5.00")
            Deduplicator.fromUrl(url).use { next ->
                assertEquals(Begin.IN_PROGRESS, next.begin(e), "the dead worker's lease still runs")
                // Redeliveries keep coming: the first after the lease expires takes the event.
                var begun = next.begin(e)
                while (begun == Begin.IN_PROGRESS && System.nanoTime() - started < lease.toNanos() + 10_000_000_000) {
                    Thread.sleep(50)
                    begun = next.begin(e)
                }
                val after = Duration.ofNanos(System.nanoTime() - started)
                assertEquals(Begin.STARTED, begun, "nothing lost: the event is taken after ${after.toMillis()} ms")
                assertTrue(after >= lease.minusSeconds(1), "taken after ${after.toMillis()} ms, before the lease of ${lease.toMillis()} ms ran out")
                next.complete(e)
                assertEquals(Begin.DUPLICATE, next.begin(e), "nothing done twice")
            }
        } finally {
            held.destroyForcibly()
            err.delete()
        }
    }

    /** A TCP relay to [host]:[port] that can be shut: the store server going away, its port closed. */
    private class Relay(host: String, port: Int) : AutoCloseable {
        private val server = ServerSocket(0, 50, InetAddress.getLoopbackAddress())
        private val sockets = ConcurrentLinkedQueue<Socket>()
        val port: Int get() = server.localPort

        init {
            Thread {
                while (!server.isClosed) {
                    val a = runCatching { server.accept() }.getOrNull() ?: break
                    val b = runCatching { Socket(host, port) }.getOrNull()
                    if (b == null) {
                        a.close()
                        continue
                    }
                    sockets += a
                    sockets += b
                    pump(a, b)
                    pump(b, a)
                }
            }.apply { isDaemon = true }.start()
        }

        private fun pump(from: Socket, to: Socket) = Thread {
            runCatching { from.getInputStream().transferTo(to.getOutputStream()) }
            runCatching { from.close() }
            runCatching { to.close() }
        }.apply { isDaemon = true }.start()

        override fun close() {
            server.close()
            sockets.forEach { runCatching { it.close() } }
        }
    }

    private val password = "Pw-0f-the-st0re"

    /** Everything an exception shows: message, hint, toString, stack trace, causes. */
    private fun shown(e: Throwable): String = e.stackTraceToString() + (e as? PagoEfectivoException)?.hint

    @TestFactory
    fun aStoreThatGoesAwayIsATypedErrorAndNothingIsMarkedDone() = perStore("the store goes away mid-delivery") { url ->
        val run = runId()
        val uri = URI(url)
        Relay(uri.host, uri.port).use { relay ->
            var through = url.replaceFirst("${uri.host}:${uri.port}", "127.0.0.1:${relay.port}")
            // PostgreSQL here trusts loopback: a password in the URL is accepted and must never show.
            if (uri.scheme.startsWith("postgres") && uri.userInfo != null && ':' !in uri.userInfo) {
                through = through.replaceFirst("${uri.userInfo}@", "${uri.userInfo}:$password@")
            }
            val e = event(run, 0, "7.00")
            Deduplicator.create(through, null, Duration.ofMillis(500)).use { d ->
                assertEquals(Begin.STARTED, d.begin(e))
                relay.close()
                Thread.sleep(100)
                val t0 = System.nanoTime()
                val err = assertThrows(ConnectionException::class.java) { d.complete(e) }
                assertTrue(System.nanoTime() - t0 < 15_000_000_000, "the store's absence took ${(System.nanoTime() - t0) / 1_000_000} ms to show")
                assertEquals("connection_error", err.code)
                assertEquals("store_unavailable", err.reason, err.message)
                assertTrue(err.retryable)
                assertTrue(err.hint!!.contains("non-200"), err.hint)
                val shown = shown(err)
                assertFalse(shown.contains(password) || shown.contains(through), shown)
                // Still away: the next delivery is refused the same way, not taken.
                assertThrows(ConnectionException::class.java) { d.begin(event(run, 1)) }
                assertFalse(d.toString().contains(password), d.toString())
            }
            // Not marked done: once the lease runs out, the redelivery is processed.
            Thread.sleep(600)
            Deduplicator.fromUrl(url).use { direct ->
                assertEquals(Begin.STARTED, direct.begin(e), "the event was not marked done")
                direct.complete(e)
            }
        }
    }

    private fun closedPort(): Int = ServerSocket(0, 1, InetAddress.getLoopbackAddress()).use { it.localPort }

    @Test
    fun aStoreOnAClosedPortIsATypedErrorForEveryOperation() {
        val port = closedPort()
        val e = event(runId(), 0)
        for (url in listOf("postgres://shop@127.0.0.1:$port/shop", "redis://127.0.0.1:$port/0")) {
            // Connections are made on first use: making the deduplicator succeeds.
            Deduplicator.fromUrl(url).use { d ->
                val ops = listOf<Pair<String, () -> Unit>>(
                    "begin" to { d.begin(e) }, "complete" to { d.complete(e) }, "fail" to { d.fail(e) },
                    "firstDelivery" to { d.firstDelivery(e) }, "forget" to { d.forget(e) },
                )
                for ((name, op) in ops) {
                    val err = assertThrows(ConnectionException::class.java, { op() }, "$url $name")
                    assertEquals("store_unavailable", err.reason, "$url $name: ${err.message}")
                    assertTrue(err.retryable, "$url $name")
                }
            }
        }
    }

    @Test
    fun aStoreUrlsPasswordNeverShows() {
        val port = closedPort()
        val e = event(runId(), 0)
        val urls = listOf(
            "postgres://shop:$password@127.0.0.1:$port/shop",
            "postgresql://shop:$password@127.0.0.1:$port/shop?sslmode=disable",
            "redis://:$password@127.0.0.1:$port/0",
            "redis://default:$password@127.0.0.1:$port/0",
        )
        for (url in urls) {
            Deduplicator.fromUrl(url).use { d ->
                assertFalse(d.toString().contains(password), d.toString())
                assertTrue(d.toString().startsWith("Deduplicator(store="), d.toString())
                val err = assertThrows(PagoEfectivoException::class.java) { d.begin(e) }
                assertFalse(shown(err).contains(password), shown(err))
            }
            Deduplicator.create(url, Duration.ofDays(1), Duration.ofSeconds(5)).use { d -> assertFalse(d.toString().contains(password)) }
        }
        // Refused URLs: another scheme, a port that is not one, no host.
        for (url in listOf("mysql://shop:$password@127.0.0.1/shop", "postgres://shop:$password@127.0.0.1:notaport/shop", "redis://:$password@/0")) {
            val err = runCatching { Deduplicator.fromUrl(url).use { it.begin(e) } }.exceptionOrNull()
            assertNotNull(err, url)
            assertTrue(err is PagoEfectivoException, "$url: ${err!!.javaClass}")
            assertFalse(shown(err).contains(password), shown(err))
        }
        assertEquals("Deduplicator(store=memory)", Deduplicator.inMemory().use { it.toString() })
    }
}
