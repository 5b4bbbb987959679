// The client end to end against the sandbox: typed results and errors, secrets kept out, many threads, closing.
package pe.pagoefectivo

import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import pe.pagoefectivo.testing.Sandbox
import java.math.BigDecimal
import java.time.Duration
import java.time.OffsetDateTime
import java.time.ZoneOffset
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientTest {
    private val sb = Sandbox.start()
    private val client = sb.client()

    @AfterAll
    fun stop() {
        client.close()
        sb.close()
    }

    private fun order(code: String, amount: String = "149.90") =
        CreateCipRequest(Currency.PEN, BigDecimal(amount), code, "ana@example.pe", dateExpiry = OffsetDateTime.now().plusHours(48))

    @Test
    fun aCipIsCreatedFoundPaidAndTyped() {
        val cip = client.cips().create(order("ORD-TYPED"))
        assertEquals(BigDecimal("149.90"), cip.amount)
        assertEquals(Currency.PEN, cip.currency)
        assertEquals(ZoneOffset.ofHours(-5), cip.dateExpiry.offset, "times come back in Lima time")
        val info = client.cips().get(cip.cip)
        assertEquals(CipStatus.GENERATED, info.status)
        assertNull(info.datePayment)
        sb.pay(cip.cip)
        val paid = client.cips().waitForFinalStatus(cip.cip, WaitOptions(Duration.ofSeconds(5), Duration.ofMillis(20), Duration.ofMillis(100)))
        assertEquals(CipStatus.PAID, paid.status)
        assertNotNull(paid.datePayment)
        assertEquals(listOf(cip.cip), client.cips().search(listOf(cip.cip, 99_999_999_999_999)).map { it.cip })
        assertEquals(cip.cip, client.cips().get(cip.cip.toString()).cip, "a digit string, as a URL path carries it")
    }

    @Test
    fun extendAndDelete() {
        val cip = client.cips().create(order("ORD-EXT"))
        val later = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).withNano(0)
        client.cips().extend(cip.cip, later)
        assertEquals(later.toInstant(), client.cips().get(cip.cip).dateExpiry!!.toInstant())
        client.cips().delete(cip.cip)
        assertEquals(CipStatus.DELETED, client.cips().get(cip.cip).status)
    }

    @Test
    fun everyProblemOfARequestAtOnce() {
        val bad = CreateCipRequest.builder().currency(Currency.PEN).amount(BigDecimal("10.005")).transactionCode("X").build()
        val e = assertThrows(ValidationException::class.java) { client.cips().create(bad) }
        assertEquals(listOf("amount", "userEmail"), e.fieldErrors.map { it.field }.sorted())
        assertEquals("validation_error", e.code)
        assertEquals(0, e.attempts)
        assertFalse(e.retryable)
        assertTrue(e.message!!.startsWith("[validation_error]"), e.message)
        val typo = assertThrows(ValidationException::class.java) {
            client.cips().create(mapOf("currency" to "PEN", "amount" to 25.5, "transactionCode" to "A", "userEmail" to "a@b.pe", "date_expire" to "x"))
        }
        assertEquals(listOf("amount", "date_expire"), typo.fieldErrors.map { it.field }.sorted(), "a double and a typo, together")
        assertThrows(ValidationException::class.java) { bad.validate() }
    }

    @Test
    fun apiErrorsAreTheirCodesClass() {
        val e = assertThrows(NotFoundException::class.java) { client.cips().get(4_294_967_296) }
        assertEquals("not_found", e.code)
        assertTrue(e is ApiException)
        // Above the sandbox merchant's maximum (100,000.00): PagoEfectivo's 511.
        val tooMuch = assertThrows(AmountAboveMaximumException::class.java) { client.cips().create(order("ORD-MAX", "99999999.00")) }
        assertEquals("511", tooMuch.peCode)
    }

    @Test
    fun badCredentialsAndConfigurations() {
        val wrong = Config.fromOptions(sb.clientOptions() + ("secret_key" to "SECRETKEY000000000000000000000000000000X"))
        PagoEfectivo(wrong).use { c ->
            val e = assertThrows(AuthenticationException::class.java) { c.cips().get(1) }
            assertFalse(e.toString().contains("SECRETKEY000000000000000000000000000000X"))
        }
        val c = assertThrows(ConfigurationException::class.java) { Config.builder().accessKey("A").secretKey(" padded ").serviceId(1).build() }
        assertFalse(c.message!!.contains("padded"), c.message)
        val unknown = assertThrows(ConfigurationException::class.java) { Config.fromOptions(mapOf("acess_key" to "x")) }
        assertTrue(unknown.message!!.contains("acess_key"), unknown.message)
    }

    @Test
    fun secretsAppearInNoStringOrError() {
        val secret = sb.secretKey
        val config = sb.config()
        for (text in listOf(config.toString(), client.toString(), client.settings.toString())) {
            assertFalse(text.contains(secret), text)
        }
        assertEquals(sb.idService.toLong(), client.settings.idService)
        assertEquals(sb.baseUrl, client.settings.baseUrl)
        val withProxy = Config.builder().baseUrl(sb.baseUrl).accessKey(sb.accessKey).secretKey(secret).serviceId(sb.idService)
            .proxy("http://user:hunter2@127.0.0.1:3128").requestTimeout(Duration.ofSeconds(7)).build()
        assertFalse(withProxy.toString().contains("hunter2"), withProxy.toString())
        assertEquals(7000, withProxy.settings.requestTimeoutMs)
    }

    @Test
    fun oneClientSharedByThirtyTwoThreads() {
        val pool = Executors.newFixedThreadPool(32)
        val futures = (0 until 200).map { i -> pool.submit<Cip> { client.cips().create(order("ORD-T$i", "10.00")) } }
        val cips = futures.map { it.get(30, TimeUnit.SECONDS) }
        pool.shutdown()
        assertEquals(200, cips.map { it.cip }.toSet().size)
    }

    @Test
    fun aClosedClientSaysSoAndAGarbageOneIsFreed() {
        val c = sb.client()
        c.close()
        c.close()
        val e = assertThrows(ConfigurationException::class.java) { c.cips().get(1) }
        assertTrue(e.message!!.contains("closed"))
        repeat(50) { sb.client() } // never closed: the Cleaner frees them
        System.gc()
    }

    @Test
    fun aPanicInTheNativeLibraryIsAnInternalException() {
        val e = assertThrows(InternalException::class.java) { Sandbox.nativePanicForTests() }
        assertEquals("internal_error", e.code)
        assertTrue(e.message!!.contains("deliberate panic"), e.message)
        assertEquals(CipStatus.PAID, CipStatus.fromCode(23), "the library still answers")
    }

    @Test
    fun textWithNoUtf8FormIsAValidationError() {
        val e = assertThrows(ValidationException::class.java) {
            client.cips().create(CreateCipRequest(Currency.PEN, BigDecimal.TEN, "ORD-S", "\uD800ana@example.pe"))
        }
        assertEquals(listOf("userEmail"), e.fieldErrors.map { it.field })
        assertThrows(ValidationException::class.java) { Webhooks.constructEvent("{}".toByteArray(), "00", "\uDC00") }
    }

    @Test
    fun helpersOfTheCore() {
        assertEquals(CipStatus.EXPIRED, CipStatus.fromCode(595))
        assertEquals(CipStatus.UNKNOWN, CipStatus.fromCode(592))
        assertThrows(ValidationException::class.java) { CipStatus.fromCode(-1) }
        assertEquals(OffsetDateTime.parse("2026-11-20T18:00-05:00"), LimaTime.parse("2026-11-20T23:00:00Z"))
        assertThrows(ValidationException::class.java) { LimaTime.of(java.time.LocalDateTime.now()) }
        Cci.validate("00219100123456789053")
        assertEquals("00219100123456789053", Cci.withCheckDigits("002191001234567890"))
        assertThrows(ValidationException::class.java) { Cci.validate("00219100124456789053") }
        assertEquals(java.time.LocalDate.parse("2026-11-23"), BusinessCalendar.addBusinessDays(java.time.LocalDate.parse("2026-11-20"), 1))
        assertTrue(BusinessCalendar.holidays(2026).any { it.date == java.time.LocalDate.parse("2026-07-28") })
    }
}
