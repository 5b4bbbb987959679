// A server of the many-servers tests (StoresTest): a JVM process of its own, run from the test classpath.
package pe.pagoefectivo

import java.io.File
import java.io.PrintWriter
import java.nio.charset.StandardCharsets
import java.time.Duration
import java.util.concurrent.Executors
import java.util.concurrent.ThreadLocalRandom
import java.util.concurrent.TimeUnit
import kotlin.system.exitProcess

/**
 * `StoreWorker deliveries <url> <run> <out>`: 1,000 deliveries (each of 100 events ten times, shuffled) from 16
 * threads, each `begin`, and when `STARTED` "processed" (a line with its key in `<out>`, this process's own
 * file) then `complete`. It prints `ready` once connected and waits for a line on stdin, so the processes'
 * deliveries overlap.
 *
 * `StoreWorker hold <url> <run> <leaseMs>`: takes the lease of event 0, prints `started`, and "processes"
 * forever (the test kills it).
 */
object StoreWorker {
    const val SECRET = "stores_test_secret"

    fun body(run: String, n: Int, amount: String = "10.00"): ByteArray =
        """{"eventType":"cip.paid","operationNumber":"$run-$n","data":{"cip":"${1000 + n}","currency":"PEN","amount":$amount}}"""
            .toByteArray(StandardCharsets.UTF_8)

    /** A delivery as a merchant's endpoint gets it: verified with the secret, then parsed. */
    fun event(run: String, n: Int, amount: String = "10.00"): Event {
        val b = body(run, n, amount)
        return Webhooks.constructEvent(b, Webhooks.sign(b, SECRET), SECRET)
    }

    @JvmStatic
    fun main(args: Array<String>) {
        try {
            when (args[0]) {
                "deliveries" -> deliveries(args[1], args[2], File(args[3]))
                "hold" -> hold(args[1], args[2], Duration.ofMillis(args[3].toLong()))
                else -> error("unknown role ${args[0]}")
            }
        } catch (t: Throwable) {
            t.printStackTrace()
            exitProcess(1)
        }
        exitProcess(0)
    }

    private fun deliveries(url: String, run: String, out: File) {
        val order = (0 until 1000).map { it % 100 }.shuffled()
        val events = (0 until 100).map { event(run, it) }
        Deduplicator.fromUrl(url).use { d ->
            // Connected before the start line: a key of this process only.
            check(d.firstDelivery(event("$run-warm-${ProcessHandle.current().pid()}", 0)))
            println("ready")
            System.out.flush()
            readLine()
            PrintWriter(out.bufferedWriter()).use { w ->
                val pool = Executors.newFixedThreadPool(16)
                val tasks = order.map { n ->
                    pool.submit {
                        val e = events[n]
                        if (d.begin(e) == Begin.STARTED) {
                            Thread.sleep(ThreadLocalRandom.current().nextLong(0, 3))
                            synchronized(w) { w.println(e.dedupKey) }
                            d.complete(e)
                        }
                    }
                }
                // A delivery that threw fails the worker (get rethrows).
                tasks.forEach { it.get(60, TimeUnit.SECONDS) }
                pool.shutdown()
            }
        }
    }

    private fun hold(url: String, run: String, lease: Duration) {
        val d = Deduplicator.create(url, null, lease)
        check(d.begin(event(run, 0, "5.00")) == Begin.STARTED) { "the lease was not free" }
        println("started")
        System.out.flush()
        Thread.sleep(Long.MAX_VALUE)
    }
}
