// Reconciliation through every source: report files (with outputs), records, the search sweep and the report endpoint.
package pe.pagoefectivo

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import pe.pagoefectivo.testing.Sandbox
import java.math.BigDecimal
import java.nio.file.Files
import java.nio.file.Path
import java.time.LocalDate

class ReconcileTest {
    @Test
    fun reportFilesWithMappedColumnsAndTheReports(@TempDir dir: Path) {
        val orders = dir.resolve("orders.csv")
        Files.writeString(orders, "pedido,cip,currency,amount,status\nORD-1,1001,PEN,25.50,pending\nORD-2,1002,PEN,10.00,paid\nORD-3,1003,USD,5.00,paid\n")
        val report = dir.resolve("report.csv")
        Files.writeString(report, "cip,transaction_code,currency,amount,status\n1001,ORD-1,PEN,25.50,23\n1002,ORD-2,PEN,10.00,23\n1003,ORD-3,USD,5.20,23\n")
        val out = dir.resolve("out")
        val r = Reconcile.files(orders, report, orderColumns = mapOf("orderId" to "pedido"), outDir = out)
        assertEquals(3, r.summary.orders)
        assertEquals(1, r.summary.count(ReconcileClass.MISSED_NOTIFICATION))
        assertEquals(1, r.summary.count(ReconcileClass.AMOUNT_MISMATCH))
        val missed = r.exceptions.first { it.kind == ReconcileClass.MISSED_NOTIFICATION }
        assertEquals("ORD-1", missed.orderId)
        assertEquals(BigDecimal("25.50"), missed.pagoefectivoAmount)
        assertEquals(BigDecimal("0.20"), r.exceptions.first { it.kind == ReconcileClass.AMOUNT_MISMATCH }.difference)
        assertTrue(Files.list(out).use { s -> s.map { it.fileName.toString() }.toList() }.any { it.endsWith(".html") })
        val e = assertThrows(FileAccessException::class.java) { Reconcile.files(dir.resolve("none.csv"), report) }
        assertEquals("io_error", e.code)
    }

    @Test
    fun recordsWithCoverageAndOptions() {
        val r = Reconcile.run(
            listOf(Order("A-1", 1L, Currency.PEN, BigDecimal("10.00"), OrderStatus.PAID)),
            listOf(PaymentRecord(1L, "A-1", Currency.PEN, BigDecimal("10.04"))),
            Coverage(everyOrderCip = true),
            ReconcileOptions(amountTolerance = BigDecimal("0.05")),
        )
        assertEquals(1, r.summary.count(ReconcileClass.MATCHED))
        assertEquals(0, r.summary.exceptions)
        // "cancelado" means paid at PagoEfectivo and cancelled in most shops: the core makes you map it.
        val e = assertThrows(ValidationException::class.java) {
            Reconcile.run(mapOf("orders" to listOf(mapOf("orderId" to "x", "currency" to "PEN", "amount" to "1.50", "status" to "cancelado")), "payments" to emptyList<Any>()))
        }
        assertEquals(listOf("status"), e.fieldErrors.map { it.field })
    }

    @Test
    fun theSearchSweepAndTheReportEndpoint() {
        Sandbox.start().use { sb ->
            sb.client().use { client ->
                val paid = client.cips().create(CreateCipRequest(Currency.PEN, BigDecimal("30.00"), "REC-1", "a@b.pe"))
                val open = client.cips().create(CreateCipRequest(Currency.PEN, BigDecimal("12.00"), "REC-2", "a@b.pe"))
                sb.pay(paid.cip)
                val orders = listOf(
                    Order("REC-1", paid.cip, Currency.PEN, BigDecimal("30.00"), OrderStatus.PENDING),
                    Order("REC-2", open.cip, Currency.PEN, BigDecimal("12.00"), OrderStatus.PENDING),
                )
                val swept = client.reconciliation().search(orders)
                assertEquals(listOf("REC-1"), swept.exceptions.filter { it.kind == ReconcileClass.MISSED_NOTIFICATION }.map { it.orderId })
                assertEquals(swept, client.reconciliation().searchAsync(orders).get())

                val today = LocalDate.now(java.time.ZoneOffset.ofHours(-5))
                val page = client.reconciliation().reportPage(ReportQuery(dateFrom = today.minusDays(1), dateTo = today.plusDays(1)))
                assertTrue(page.rows.any { it.cip == paid.cip && it.status == CipStatus.PAID }, "$page")
                val reported = client.reconciliation().report(orders, ReportQuery(dateFrom = today.minusDays(1), dateTo = today.plusDays(1)))
                assertEquals(1, reported.summary.count(ReconcileClass.MISSED_NOTIFICATION))
                assertNotNull(reported.nextCursor)
                @Suppress("UNCHECKED_CAST")
                val fetched = client.call("reports.fetch_all", mapOf("dateFrom" to today.minusDays(1))) as Map<String, Any?>
                assertTrue((fetched["rows"] as Long) >= 1)
            }
        }
    }
}
