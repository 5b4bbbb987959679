// Calls into the core: requests written once, replies decoded once, a client handle never used after free.
package pe.pagoefectivo.internal

import pe.pagoefectivo.PagoEfectivoException
import java.lang.ref.Cleaner
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionException
import java.util.concurrent.Executor
import java.util.concurrent.ForkJoinPool
import java.util.concurrent.locks.ReentrantReadWriteLock

internal object Calls {
    private const val OK = 'O'.code.toByte()

    /** A reply's value, or its error thrown as the matching exception. */
    fun decode(reply: ByteArray): Any? {
        if (reply.isEmpty()) throw Errors.internal("an empty reply from the native library")
        val value = JsonReader.parse(reply, 1)
        if (reply[0] == OK) return value
        @Suppress("UNCHECKED_CAST")
        throw Errors.fromJson(value as? Map<String, Any?> ?: throw Errors.internal("an error reply that is not an object"))
    }

    /** A client-less operation of the core (`boundary::ops::call`). */
    fun call(op: String, args: Any?): Any? = decode(Native.call(op, JsonWriter.write(args)))

    /** The same with arguments already written. */
    fun callRaw(op: String, args: ByteArray): Any? = decode(Native.call(op, args))

    /** The exception a failed future carries, unwrapped from `CompletionException`. */
    fun cause(t: Throwable): Throwable = if (t is CompletionException && t.cause != null) t.cause!! else t

    val cleaner: Cleaner = Cleaner.create()
}

/**
 * A native handle (a client, a deduplicator) shared by threads: calls hold the read lock while they
 * enter the native library, `close` takes the write lock and frees it once. A handle never closed
 * is freed when it becomes unreachable.
 */
internal class Handle(raw: Long, free: (Long) -> Unit) : AutoCloseable {
    private class State(@Volatile var raw: Long, val free: (Long) -> Unit) : Runnable {
        override fun run() {
            val h = raw
            raw = 0
            if (h != 0L) free(h)
        }
    }

    private val state = State(raw, free)
    private val lock = ReentrantReadWriteLock()
    private val cleanable = Calls.cleaner.register(this, state)

    fun <T> use(f: (Long) -> T): T {
        val r = lock.readLock()
        r.lock()
        try {
            val h = state.raw
            if (h == 0L) throw Errors.closed()
            return f(h)
        } finally {
            r.unlock()
        }
    }

    override fun close() {
        val w = lock.writeLock()
        w.lock()
        try {
            cleanable.clean()
        } finally {
            w.unlock()
        }
    }
}

/**
 * Where async replies are decoded and callers' stages run when the client was given no executor:
 * the common ForkJoinPool, unless it has a single thread (2 CPUs or fewer). CompletableFuture
 * refuses such a common pool and starts a new thread for every async stage, which cost more CPU
 * than the call itself, so there the SDK uses a ForkJoinPool of its own: two daemon threads
 * (`pagoefectivo-async-N`), made when first needed, where a stage's `join` compensates as in any ForkJoinPool.
 */
internal object DefaultExecutor {
    val executor: Executor by lazy {
        if (ForkJoinPool.getCommonPoolParallelism() > 1) {
            ForkJoinPool.commonPool()
        } else {
            val threads = ForkJoinPool.ForkJoinWorkerThreadFactory { pool ->
                ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool).apply {
                    name = "pagoefectivo-async-$poolIndex"
                    isDaemon = true
                }
            }
            ForkJoinPool(2, threads, null, true)
        }
    }
}

/** A client handle's operations, blocking or async. */
internal class ClientCalls(private val handle: Handle, private val executor: Executor) {
    fun call(op: String, args: Any?): Any? {
        val bytes = JsonWriter.write(args)
        return Calls.decode(handle.use { Native.clientCall(it, op, bytes, Native.logLevel()) })
    }

    /**
     * Runs `op` on the core's runtime; the reply is decoded (and the caller's stages run) on
     * [executor], never on the runtime's threads.
     */
    fun <T> async(op: String, args: Any?, map: (Any?) -> T): CompletableFuture<T> {
        val bytes = try {
            JsonWriter.write(args)
        } catch (e: PagoEfectivoException) {
            return CompletableFuture.failedFuture(e)
        }
        val (id, reply) = Replies.register()
        try {
            handle.use { Native.clientCallAsync(it, op, bytes, Native.logLevel(), id) }?.let { Replies.complete(id, it) }
        } catch (e: PagoEfectivoException) {
            Replies.complete(id, null)
            return CompletableFuture.failedFuture(e)
        }
        return reply.thenApplyAsync({ map(Calls.decode(it)) }, executor)
    }
}

/**
 * Async calls waiting for their replies, by id. The native library queues each reply; one JVM
 * daemon thread takes them in batches and completes the futures (their stages run on the
 * client's executor, not on that thread).
 */
internal object Replies {
    private val next = java.util.concurrent.atomic.AtomicLong()
    private val waiting = java.util.concurrent.ConcurrentHashMap<Long, CompletableFuture<ByteArray>>()

    init {
        Native.daemon("pagoefectivo-completions") {
            while (true) Native.forEachReply(Native.awaitReplies()) { id, reply -> complete(id, reply) }
        }
    }

    fun register(): Pair<Long, CompletableFuture<ByteArray>> {
        val id = next.incrementAndGet()
        val f = CompletableFuture<ByteArray>()
        waiting[id] = f
        return id to f
    }

    /** Completes call [id] with [reply] (null: it never started). */
    fun complete(id: Long, reply: ByteArray?) {
        val f = waiting.remove(id) ?: return
        if (reply != null) f.complete(reply)
    }
}

internal fun Errors.closed(): PagoEfectivoException =
    of(
        pe.pagoefectivo.ErrorInfo(
            "configuration_error", "configuration", "this PagoEfectivo client was closed",
            "[configuration_error] this PagoEfectivo client was closed", null, null, null, emptyList(), false, 0,
            null, "create a client once per configuration and close it when the application stops", null, null,
        ),
    )

/**
 * For `pe.pagoefectivo:pagoefectivo-testing` (the sandbox), which calls the same native library:
 * not part of the API, may change in any release.
 */
object Interop {
    /** Loads the native library (the testing one when its jar is on the classpath). */
    @JvmStatic
    fun load() {
        Native.logLevel()
    }

    /** A reply's value, or its error as the matching `PagoEfectivoException`. */
    @JvmStatic
    fun decode(reply: ByteArray): Any? = Calls.decode(reply)

    /** A request's JSON, by the same rules as every request of the SDK. */
    @JvmStatic
    fun write(value: Any?): ByteArray = JsonWriter.write(value)

    /** The exception the SDK raises for an error of [code] in [family] (the error tree's test). */
    @JvmStatic
    fun exception(code: String, family: String, message: String): PagoEfectivoException =
        Errors.of(pe.pagoefectivo.ErrorInfo(code, family, message, "[$code] $message", null, null, null, emptyList(), false, 0, null, null, null, null))

    /** A time as the core writes it. */
    @JvmStatic
    fun time(s: String): java.time.OffsetDateTime? = Times.parse(s)
}
