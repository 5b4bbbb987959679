// The native methods of bindings/jvm (crate pagoefectivo-jvm) and the two callbacks it makes.
package pe.pagoefectivo.internal

import org.slf4j.Logger
import org.slf4j.LoggerFactory

/**
 * The JNI surface: a handful of methods, JSON in byte arrays both ways. Replies are a tag byte
 * (`O` ok, `E` error) followed by the core's JSON.
 */
internal object Native {
    /** Must match `ABI_VERSION` in bindings/jvm/src/lib.rs. */
    private const val ABI_VERSION = 2

    private val logger: Logger = LoggerFactory.getLogger("pagoefectivo")
    private val sandboxLogger: Logger = LoggerFactory.getLogger("pagoefectivo.sandbox")

    init {
        NativeLibrary.load()
        val abi = init()
        check(abi == ABI_VERSION) {
            "the pagoefectivo native library has ABI $abi but these classes expect $ABI_VERSION: mixed versions on the classpath?"
        }
        setLogLevel(logLevel())
        daemon("pagoefectivo-log") {
            while (true) forEachLog(awaitLogs()) { level, sandbox, message -> log(level, sandbox, message) }
        }
    }

    /** A JVM daemon thread: the native library never attaches its own threads, so it never holds the JVM open. */
    fun daemon(name: String, body: () -> Unit): Thread = Thread({
        try {
            body()
        } catch (e: Throwable) {
            LoggerFactory.getLogger("pagoefectivo").error("the $name thread stopped", e)
        }
    }, name).apply {
        isDaemon = true
        start()
    }

    @PublishedApi internal fun int(b: ByteArray, at: Int): Int =
        (b[at].toInt() and 255 shl 24) or (b[at + 1].toInt() and 255 shl 16) or (b[at + 2].toInt() and 255 shl 8) or (b[at + 3].toInt() and 255)

    @PublishedApi internal fun long(b: ByteArray, at: Int): Long = (int(b, at).toLong() shl 32) or (int(b, at + 4).toLong() and 0xffffffffL)

    /** Each `(id, reply)` of an [awaitReplies] batch. */
    inline fun forEachReply(batch: ByteArray, f: (Long, ByteArray) -> Unit) {
        var at = 0
        while (at < batch.size) {
            val id = long(batch, at)
            val n = int(batch, at + 8)
            f(id, batch.copyOfRange(at + 12, at + 12 + n))
            at += 12 + n
        }
    }

    /** Each `(level, sandbox, message)` of an [awaitLogs] batch. */
    private inline fun forEachLog(batch: ByteArray, f: (Int, Boolean, String) -> Unit) {
        var at = 0
        while (at < batch.size) {
            val n = int(batch, at + 2)
            f(batch[at].toInt(), batch[at + 1].toInt() != 0, String(batch, at + 6, n, Charsets.UTF_8))
            at += 6 + n
        }
    }

    @JvmStatic external fun init(): Int

    @JvmStatic external fun call(op: String, args: ByteArray): ByteArray

    @JvmStatic external fun clientNew(options: ByteArray): ByteArray

    @JvmStatic external fun clientFree(handle: Long)

    @JvmStatic external fun clientCall(handle: Long, op: String, args: ByteArray, logLevel: Int): ByteArray

    /** Returns null once started (the reply is queued under [id] for [awaitReplies]), or the error reply. */
    @JvmStatic external fun clientCallAsync(handle: Long, op: String, args: ByteArray, logLevel: Int, id: Long): ByteArray?

    /** Blocks until async replies are queued; returns them all (id, length, reply...). */
    @JvmStatic external fun awaitReplies(): ByteArray

    /** Blocks until log records are queued; returns them all (level, sandbox, length, text...). */
    @JvmStatic external fun awaitLogs(): ByteArray

    /** The event flat (`P`, `R`: [FlatEvent]) or a JSON reply (another event type, an error). */
    @JvmStatic external fun webhookVerify(body: ByteArray, signature: ByteArray?, secret: ByteArray, maxBodyBytes: Int): ByteArray

    @JvmStatic external fun clientWebhookVerify(handle: Long, body: ByteArray, signature: ByteArray?, maxBodyBytes: Int): ByteArray

    @JvmStatic external fun dedupNew(options: ByteArray): ByteArray

    @JvmStatic external fun dedupCall(handle: Long, op: String, body: ByteArray): ByteArray

    @JvmStatic external fun dedupFree(handle: Long)

    @JvmStatic external fun setLogLevel(level: Int)

    /** SLF4J's level for logger `pagoefectivo`, in the native library's numbering (5: off). */
    fun logLevel(): Int = when {
        logger.isTraceEnabled -> 0
        logger.isDebugEnabled -> 1
        logger.isInfoEnabled -> 2
        logger.isWarnEnabled -> 3
        logger.isErrorEnabled -> 4
        else -> 5
    }

    /** One (already redacted) log record: called by the native library on a Java thread, or by the log thread. */
    @JvmStatic
    fun log(level: Int, sandbox: Boolean, message: String) {
        val l = if (sandbox) sandboxLogger else logger
        when (level) {
            0 -> l.trace(message)
            1 -> l.debug(message)
            2 -> l.info(message)
            3 -> l.warn(message)
            else -> l.error(message)
        }
    }
}
