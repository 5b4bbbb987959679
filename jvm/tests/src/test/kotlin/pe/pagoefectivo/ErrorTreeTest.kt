// The exception tree against the core's own taxonomy (`errors.table`): one class per family, one per code inside it.
package pe.pagoefectivo

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import pe.pagoefectivo.internal.Interop

class ErrorTreeTest {
    private val table = Operations.errorTable()
    private val codes = (table["codes"] as List<*>).map { it as Map<*, *> }
    private val families = (table["families"] as List<*>).map { it as Map<*, *> }

    private fun classOf(code: String, family: String): Class<*> =
        Interop.exception(code, family, "m").javaClass

    /** The class of a family: its own code's, or (a family with no code of its own) the one an unknown code of it gets. */
    private fun familyClass(family: String): Class<*> {
        val own = families.first { it["name"] == family }["code"] as String?
        return classOf(own ?: "a code of $family added later", family)
    }

    @Test
    fun everyFamilyIsAClassRightUnderTheBase() {
        assertTrue(families.size >= 11)
        for (f in families) {
            val cls = familyClass(f["name"] as String)
            assertEquals(PagoEfectivoException::class.java, cls.superclass, "family ${f["name"]}")
        }
        assertEquals(families.size, families.map { familyClass(it["name"] as String) }.toSet().size, "one class per family")
    }

    @Test
    fun everyCodeIsItsFamilysClassOrASubclassOfIt() {
        for (c in codes) {
            val code = c["code"] as String
            val family = c["family"] as String
            val cls = classOf(code, family)
            assertTrue(cls != PagoEfectivoException::class.java, "$code has its own class")
            if (c["root"] == true) assertEquals(familyClass(family), cls, code) else assertEquals(familyClass(family), cls.superclass, code)
        }
        assertEquals(codes.size, codes.map { classOf(it["code"] as String, it["family"] as String) }.toSet().size, "one class per code")
    }

    @Test
    fun theNamesJavaCallersCatch() {
        val expected = mapOf(
            "validation_error" to ValidationException::class, "configuration_error" to ConfigurationException::class,
            "authentication_error" to AuthenticationException::class, "api_error" to ApiException::class,
            "not_found" to NotFoundException::class, "invalid_state" to InvalidStateException::class,
            "amount_above_maximum" to AmountAboveMaximumException::class, "malformed_response" to MalformedResponseException::class,
            "connection_error" to ConnectionException::class, "timeout" to ApiTimeoutException::class,
            "outcome_unknown" to OutcomeUnknownException::class, "idempotency_conflict" to IdempotencyConflictException::class,
            "refund_not_allowed" to RefundNotAllowedException::class, "signature_verification_failed" to SignatureVerificationException::class,
            "wait_timeout" to WaitTimeoutException::class, "io_error" to FileAccessException::class, "internal_error" to InternalException::class,
        )
        assertEquals(expected.keys, codes.map { it["code"] }.toSet(), "every code of the core is named here")
        for (c in codes) assertEquals(expected.getValue(c["code"] as String).java, classOf(c["code"] as String, c["family"] as String))
        assertEquals(IdempotencyException::class.java, OutcomeUnknownException::class.java.superclass)
        assertNotNull(RuntimeException::class.java.isAssignableFrom(PagoEfectivoException::class.java).takeIf { it })
    }
}
