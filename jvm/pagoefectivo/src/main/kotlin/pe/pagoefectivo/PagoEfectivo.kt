// The client: one per merchant configuration, resources as objects, AutoCloseable.
package pe.pagoefectivo

import pe.pagoefectivo.internal.Calls
import pe.pagoefectivo.internal.ClientCalls
import pe.pagoefectivo.internal.DefaultExecutor
import pe.pagoefectivo.internal.FlatEvent
import pe.pagoefectivo.internal.Handle
import pe.pagoefectivo.internal.JsonWriter
import pe.pagoefectivo.internal.Native
import pe.pagoefectivo.internal.Obj
import java.util.concurrent.Executor

/**
 * A PagoEfectivo client for one merchant configuration: its token cache and connection pool are
 * shared by every call, from any number of threads. Create one per configuration (store) and keep
 * it; [close] frees it (waiting for calls that are entering the native library).
 *
 * ```kotlin
 * PagoEfectivo(Config.fromEnv()).use { client ->
 *     val cip = client.cips().create(CreateCipRequest(Currency.PEN, BigDecimal("149.90"), "ORD-1001", "ana@example.pe"))
 * }
 * ```
 *
 * Every operation has a blocking form and an `...Async` form returning a `CompletableFuture`
 * that the core's runtime completes (no thread of yours waits); its stages run on [executor]
 * (by default the common ForkJoinPool, or where that has a single thread, the SDK's own two-thread
 * ForkJoinPool), never on the runtime's threads. Kotlin: [suspending].
 */
class PagoEfectivo @JvmOverloads constructor(
    config: Config,
    /** Where async results are decoded and your stages run. */
    private val executor: Executor = DefaultExecutor.executor,
) : AutoCloseable {
    private val handle: Handle
    private val calls: ClientCalls

    /** The configuration as the core reads it: every setting but the secrets. */
    val settings: Settings

    init {
        val created = Obj(Calls.decode(Native.clientNew(JsonWriter.write(config.options))), "client")
        handle = Handle(created.long("handle"), Native::clientFree)
        settings = Settings.of(created.obj("settings"))
        calls = ClientCalls(handle, executor)
    }

    private val cips = Cips(calls)
    private val refunds = Refunds(calls)
    private val reconciliation = ClientReconciliation(calls)
    private val webhooks = ClientWebhooks(handle)

    /** CIPs: create, get, search, extend, delete, wait for a final status. */
    fun cips(): Cips = cips

    /** Refunds: create (idempotent by your reference), get, list, eligibility, wait. */
    fun refunds(): Refunds = refunds

    /** Reconciliation against the search endpoint, the settlement report, or files. */
    fun reconciliation(): ClientReconciliation = reconciliation

    /** Notifications verified with this client's secret key. */
    fun webhooks(): ClientWebhooks = webhooks

    /** Authenticates now (to fail fast at start-up on bad credentials); calls do it on their own. */
    fun authenticate() {
        calls.call("authenticate", null)
    }

    /**
     * Any client operation of the core by name (`cips.get`, `reports.fetch_all`...), arguments as a
     * map of native values, the answer as the core's JSON read into maps and lists (see [Operations]).
     */
    fun call(op: String, args: Any?): Any? = calls.call(op, args)

    /** The suspending forms, for Kotlin coroutines: `client.suspending().cips().create(request)`. */
    fun suspending(): SuspendingPagoEfectivo = SuspendingPagoEfectivo(this)

    override fun close() = handle.close()

    override fun toString(): String = "PagoEfectivo($settings)"

    companion object {
        /** A client from the `PAGOEFECTIVO_*` variables. */
        @JvmStatic
        fun fromEnv(): PagoEfectivo = PagoEfectivo(Config.fromEnv())
    }
}

/** `client.webhooks()`: [Webhooks.constructEvent] with the client's secret key, which never leaves the core. */
class ClientWebhooks internal constructor(private val handle: Handle) {
    @JvmOverloads
    fun constructEvent(rawBody: ByteArray?, signature: String?, maxBodyBytes: Int = -1): Event {
        if (rawBody == null) return Webhooks.constructEvent(null, signature, "")
        val sig = signature?.let { JsonWriter.text(it, "signature") }
        val reply = handle.use { Native.clientWebhookVerify(it, rawBody, sig, maxBodyBytes) }
        return FlatEvent.read(reply, rawBody)
    }
}
