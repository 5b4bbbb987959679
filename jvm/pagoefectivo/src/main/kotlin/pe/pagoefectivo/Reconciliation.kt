// Reconciliation: your orders against what PagoEfectivo recorded, from files, the search sweep or the report endpoint.
package pe.pagoefectivo

import pe.pagoefectivo.internal.Calls
import pe.pagoefectivo.internal.ClientCalls
import pe.pagoefectivo.internal.Obj
import java.math.BigDecimal
import java.nio.file.Path
import java.time.LocalDate
import java.time.OffsetDateTime
import java.util.concurrent.CompletableFuture

/** Where an order stands in your own system. */
enum class OrderStatus(override val wire: String) : WireValue {
    PENDING("pending"),
    PAID("paid"),
    CLOSED("closed");

    companion object {
        @JvmStatic fun fromWire(s: String): OrderStatus = entries.firstOrNull { it.wire == s } ?: throw drift("order status", s)
    }
}

/** One of your orders. */
data class Order @JvmOverloads constructor(
    val orderId: String?,
    val cip: Long?,
    val currency: Currency?,
    val amount: BigDecimal?,
    val status: OrderStatus?,
    val expiresAt: OffsetDateTime? = null,
    val paidAt: OffsetDateTime? = null,
    val refundedAmount: BigDecimal? = null,
) {
    internal fun toMap(): Map<String, Any?> = linkedMapOf<String, Any?>(
        "orderId" to orderId, "cip" to cip, "currency" to currency, "amount" to amount, "status" to status,
        "expiresAt" to expiresAt, "paidAt" to paidAt, "refundedAmount" to refundedAmount,
    ).filterValues { it != null }
}

/** One CIP as PagoEfectivo recorded it: a search result, a report row. */
data class PaymentRecord @JvmOverloads constructor(
    val cip: Long?,
    val transactionCode: String,
    val currency: Currency,
    val amount: BigDecimal,
    val status: CipStatus = CipStatus.PAID,
    val paidAt: OffsetDateTime? = null,
    /** When PagoEfectivo paid the money out to you; null while unsettled. */
    val settledAt: OffsetDateTime? = null,
    /** Refunded so far according to PagoEfectivo; null when the source does not say. */
    val refundedAmount: BigDecimal? = null,
) {
    internal fun toMap(): Map<String, Any?> = linkedMapOf<String, Any?>(
        "cip" to cip, "transactionCode" to transactionCode, "currency" to currency, "amount" to amount,
        "status" to status, "paidAt" to paidAt, "settledAt" to settledAt, "refundedAmount" to refundedAmount,
    ).filterValues { it != null }

    internal companion object {
        fun of(o: Obj) = PaymentRecord(
            o.longOrNull("cip"), o.string("transactionCode"), Currency.fromWire(o.string("currency")), o.decimal("amount"),
            CipStatus.fromWire(o.string("status")), o.timeOrNull("paidAt"), o.timeOrNull("settledAt"),
            o.decimalOrNull("refundedAmount"),
        )
    }
}

/** What a payments source covers, so absence can be judged (`Reconcile.run`). */
data class Coverage @JvmOverloads constructor(
    val everyOrderCip: Boolean = false,
    val settlement: Boolean = false,
    val refunds: Boolean = false,
)

/** Tolerances and the calendar; null values take the core's defaults (±0.05, T+3 business days). */
data class ReconcileOptions @JvmOverloads constructor(
    val amountTolerance: BigDecimal? = null,
    val settlementDays: Int? = null,
    /** The moment expiry and settlement are judged against (default now). */
    val asOf: OffsetDateTime? = null,
    val extraHolidays: List<LocalDate>? = null,
) {
    internal fun toMap(): Map<String, Any?> = linkedMapOf<String, Any?>(
        "amountTolerance" to amountTolerance, "settlementDays" to settlementDays, "asOf" to asOf, "extraHolidays" to extraHolidays,
    ).filterValues { it != null }
}

/** The class of an order, a PagoEfectivo row, or a pair of both. */
enum class ReconcileClass(override val wire: String) : WireValue {
    MATCHED("matched"),
    UNPAID("unpaid"),
    MISSED_NOTIFICATION("missed_notification"),
    NOT_PAID_AT_PAGOEFECTIVO("not_paid_at_pagoefectivo"),
    AMOUNT_MISMATCH("amount_mismatch"),
    CURRENCY_MISMATCH("currency_mismatch"),
    DUPLICATE("duplicate"),
    UNKNOWN_REFERENCE("unknown_reference"),
    REFUND_NOT_REFLECTED("refund_not_reflected"),
    EXPIRED_OPEN("expired_open"),
    SETTLEMENT_OVERDUE("settlement_overdue");

    companion object {
        @JvmStatic fun fromWire(s: String): ReconcileClass = entries.firstOrNull { it.wire == s } ?: throw drift("class", s)
    }
}

/** Which side a one-sided finding (duplicate, unknown reference) is on. */
enum class Side(override val wire: String) : WireValue {
    MERCHANT("merchant"),
    PAGOEFECTIVO("pagoefectivo"),
}

/** Count and sum of one class in one currency. */
data class ClassTotal(val kind: ReconcileClass, val currency: Currency, val count: Long, val amount: BigDecimal)

/** Counts and sums per class and currency. */
data class Summary(
    val orders: Long,
    val payments: Long,
    /** Every class but matched and unpaid. */
    val exceptions: Long,
    val counts: Map<ReconcileClass, Long>,
    val totals: List<ClassTotal>,
    /** The Lima date expiry and settlement were judged against. */
    val asOf: LocalDate?,
) {
    /** How many of [kind] (0 when none). */
    fun count(kind: ReconcileClass): Long = counts[kind] ?: 0
}

/** One discrepancy to follow up, with what each side says (`detail`: one sentence for a person). */
data class Discrepancy(
    val kind: ReconcileClass,
    val side: Side?,
    val orderId: String?,
    val cip: Long?,
    val currency: Currency,
    val orderAmount: BigDecimal?,
    val pagoefectivoAmount: BigDecimal?,
    val difference: BigDecimal?,
    val orderStatus: OrderStatus?,
    val pagoefectivoStatus: CipStatus?,
    val orderRefunded: BigDecimal?,
    val pagoefectivoRefunded: BigDecimal?,
    val expiresAt: OffsetDateTime?,
    val paidAt: OffsetDateTime?,
    val expectedSettlement: LocalDate?,
    val orderLine: Long?,
    val pagoefectivoLine: Long?,
    val detail: String,
)

/** The result: totals and the discrepancies in source order (orders first). */
data class Reconciliation(
    val summary: Summary,
    val exceptions: List<Discrepancy>,
    /** From the report endpoint: where tomorrow's incremental run starts. */
    val nextCursor: String? = null,
) {
    internal companion object {
        fun of(v: Any?): Reconciliation {
            val o = Obj(v, "reconciliation")
            val s = o.obj("summary")
            val counts = LinkedHashMap<ReconcileClass, Long>()
            s.obj("counts").map.forEach { (k, n) -> counts[ReconcileClass.fromWire(k)] = n as Long }
            val summary = Summary(
                s.long("orders"), s.long("payments"), s.long("exceptions"), counts,
                s.objects("totals") {
                    ClassTotal(ReconcileClass.fromWire(it.string("class")), Currency.fromWire(it.string("currency")), it.long("count"), it.decimal("amount"))
                },
                s.dateOrNull("asOf"),
            )
            val exceptions = o.objects("exceptions") {
                Discrepancy(
                    ReconcileClass.fromWire(it.string("class")),
                    it.stringOrNull("side")?.let { w -> Side.entries.first { s -> s.wire == w } },
                    it.stringOrNull("orderId"), it.longOrNull("cip"), Currency.fromWire(it.string("currency")),
                    it.decimalOrNull("orderAmount"), it.decimalOrNull("pagoefectivoAmount"), it.decimalOrNull("difference"),
                    it.stringOrNull("orderStatus")?.let(OrderStatus::fromWire), it.stringOrNull("pagoefectivoStatus")?.let(CipStatus::fromWire),
                    it.decimalOrNull("orderRefunded"), it.decimalOrNull("pagoefectivoRefunded"), it.timeOrNull("expiresAt"),
                    it.timeOrNull("paidAt"), it.dateOrNull("expectedSettlement"), it.longOrNull("orderLine"),
                    it.longOrNull("pagoefectivoLine"), it.string("detail"),
                )
            }
            return Reconciliation(summary, exceptions, o.stringOrNull("nextCursor"))
        }
    }
}

/** A settlement-report range: dates (Lima days), or the cursor of the last run. */
data class ReportQuery @JvmOverloads constructor(
    val dateFrom: LocalDate? = null,
    val dateTo: LocalDate? = null,
    val cursor: String? = null,
    val limit: Int? = null,
) {
    internal fun into(args: MutableMap<String, Any?>): MutableMap<String, Any?> {
        dateFrom?.let { args["dateFrom"] = it }
        dateTo?.let { args["dateTo"] = it }
        cursor?.let { args["cursor"] = it }
        limit?.let { args["limit"] = it }
        return args
    }
}

/** One page of the settlement report. */
data class ReportPage(val rows: List<PaymentRecord>, val nextCursor: String?, val hasMore: Boolean) {
    internal companion object {
        fun of(o: Obj) = ReportPage(o.objects("rows") { PaymentRecord.of(it) }, o.stringOrNull("nextCursor"), o.bool("hasMore"))
    }
}

/** Reconciliation that needs no client: report files, or records you loaded yourself. */
object Reconcile {
    /**
     * Loads your orders CSV and PagoEfectivo's report CSV (columns found by header name; map
     * yours with `orderColumns`/`reportColumns`, e.g. `orderId -> pedido`), reconciles, and writes
     * the reports (summary, exceptions CSV and JSON lines, HTML) into [outDir] when given.
     */
    @JvmStatic
    @JvmOverloads
    fun files(
        orders: Path,
        report: Path,
        orderColumns: Map<String, String>? = null,
        reportColumns: Map<String, String>? = null,
        options: ReconcileOptions? = null,
        outDir: Path? = null,
    ): Reconciliation = Reconciliation.of(
        Calls.call(
            "reconcile.files",
            linkedMapOf<String, Any?>(
                "orders" to orders.toString(), "report" to report.toString(), "orderColumns" to orderColumns,
                "reportColumns" to reportColumns, "options" to options?.toMap(), "outDir" to outDir?.toString(),
            ).filterValues { it != null },
        ),
    )

    /** Reconciles records you loaded: [coverage] says what the payments source covers. */
    @JvmStatic
    @JvmOverloads
    fun run(orders: List<Order>, payments: List<PaymentRecord>, coverage: Coverage? = null, options: ReconcileOptions? = null): Reconciliation =
        run(
            linkedMapOf<String, Any?>(
                "orders" to orders.map { it.toMap() }, "payments" to payments.map { it.toMap() },
                "coverage" to coverage?.let { mapOf("everyOrderCip" to it.everyOrderCip, "settlement" to it.settlement, "refunds" to it.refunds) },
                "options" to options?.toMap(),
            ).filterValues { it != null },
        )

    /** The same from maps (`{orders, payments, coverage?, options?}`, the core's names). */
    @JvmStatic
    fun run(input: Map<String, Any?>): Reconciliation = Reconciliation.of(Calls.call("reconcile.run", input))
}

/** One Peruvian public holiday. */
data class Holiday(val date: LocalDate, val name: String)

/** The Peruvian business calendar (weekends, national holidays, Holy Thursday and Good Friday). */
object BusinessCalendar {
    private fun args(date: LocalDate, days: Long, extra: List<LocalDate>) =
        Obj(Calls.call("reconcile.business_days", mapOf("date" to date, "days" to days, "extraHolidays" to extra)), "days")

    /** The business day [days] after [date] (T+n settlement). */
    @JvmStatic
    @JvmOverloads
    fun addBusinessDays(date: LocalDate, days: Long, extraHolidays: List<LocalDate> = emptyList()): LocalDate =
        LocalDate.parse(args(date, days, extraHolidays).string("due"))

    @JvmStatic
    @JvmOverloads
    fun isBusinessDay(date: LocalDate, extraHolidays: List<LocalDate> = emptyList()): Boolean =
        args(date, 0, extraHolidays).bool("isBusinessDay")

    @JvmStatic
    @JvmOverloads
    fun holidays(year: Int, extraHolidays: List<LocalDate> = emptyList()): List<Holiday> =
        (Calls.call("reconcile.holidays", mapOf("year" to year, "extraHolidays" to extraHolidays)) as List<*>).map {
            val o = Obj(it, "holiday")
            Holiday(LocalDate.parse(o.string("date")), o.string("name"))
        }
}

/** `client.reconciliation()`: the same engine fed by PagoEfectivo's API (search sweep, report endpoint) or files. */
class ClientReconciliation internal constructor(private val calls: ClientCalls) {
    private fun orders(orders: List<Order>, options: ReconcileOptions?) =
        linkedMapOf<String, Any?>("orders" to orders.map { it.toMap() }, "options" to options?.toMap()).filterValues { it != null }

    /** Looks your orders' CIPs up with the public search endpoint and reconciles. */
    @JvmOverloads
    fun search(orders: List<Order>, options: ReconcileOptions? = null): Reconciliation =
        Reconciliation.of(calls.call("reconcile.search", orders(orders, options)))

    @JvmOverloads
    fun searchAsync(orders: List<Order>, options: ReconcileOptions? = null): CompletableFuture<Reconciliation> =
        calls.async("reconcile.search", orders(orders, options)) { Reconciliation.of(it) }

    /** The same with your orders from a CSV file (columns by header name). */
    @JvmOverloads
    fun searchFile(ordersCsv: Path, orderColumns: Map<String, String>? = null, options: ReconcileOptions? = null): Reconciliation =
        Reconciliation.of(
            calls.call(
                "reconcile.search",
                linkedMapOf<String, Any?>("ordersFile" to ordersCsv.toString(), "orderColumns" to orderColumns, "options" to options?.toMap())
                    .filterValues { it != null },
            ),
        )

    /** Fetches the settlement report for [query] (every page) and reconciles; `nextCursor` is where the next run starts. */
    @JvmOverloads
    fun report(orders: List<Order>, query: ReportQuery = ReportQuery(), options: ReconcileOptions? = null): Reconciliation =
        Reconciliation.of(calls.call("reconcile.report", query.into(LinkedHashMap(orders(orders, options)))))

    @JvmOverloads
    fun reportAsync(orders: List<Order>, query: ReportQuery = ReportQuery(), options: ReconcileOptions? = null): CompletableFuture<Reconciliation> =
        calls.async("reconcile.report", query.into(LinkedHashMap(orders(orders, options)))) { Reconciliation.of(it) }

    /** One page of the settlement report. */
    fun reportPage(query: ReportQuery): ReportPage = ReportPage.of(Obj(calls.call("reports.page", query.into(LinkedHashMap())), "page"))

    /** [Reconcile.files], for symmetry. */
    @JvmOverloads
    fun files(
        orders: Path,
        report: Path,
        orderColumns: Map<String, String>? = null,
        reportColumns: Map<String, String>? = null,
        options: ReconcileOptions? = null,
        outDir: Path? = null,
    ): Reconciliation = Reconcile.files(orders, report, orderColumns, reportColumns, options, outDir)
}
