// The core's log records reach SLF4J (logger `pagoefectivo`) at the level SLF4J sets, redacted.
package pe.pagoefectivo

import ch.qos.logback.classic.Level
import ch.qos.logback.classic.Logger
import ch.qos.logback.classic.spi.ILoggingEvent
import ch.qos.logback.core.read.ListAppender
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.parallel.Isolated
import org.slf4j.LoggerFactory
import pe.pagoefectivo.testing.Sandbox
import java.math.BigDecimal

/** Alone: it changes the level every other test logs at. */
@Isolated
class LoggingTest {
    @Test
    fun eachAttemptIsLoggedWithoutSecrets() {
        val logger = LoggerFactory.getLogger("pagoefectivo") as Logger
        val captured = ListAppender<ILoggingEvent>().apply { start() }
        logger.addAppender(captured)
        logger.isAdditive = false // captured here, not printed
        logger.level = Level.DEBUG
        try {
            Sandbox.start().use { sb ->
                sb.client().use { c ->
                    c.cips().create(CreateCipRequest(Currency.PEN, BigDecimal("5.00"), "LOG-1", "ana@example.pe"))
                    val lines = synchronized(captured) { captured.list.map { it.level.toString() + " " + it.formattedMessage } }
                    assertTrue(lines.any { it.startsWith("INFO") && it.contains("cips.create") }, "$lines")
                    assertTrue(lines.any { it.startsWith("DEBUG") }, "debug bodies follow at debug: $lines")
                    assertFalse(lines.any { it.contains(sb.secretKey) }, "no secret in $lines")
                }
            }
            // At WARN the attempts are not even formatted: nothing below WARN arrives.
            logger.level = Level.WARN
            synchronized(captured) { captured.list.clear() }
            Sandbox.start().use { sb -> sb.client().use { c -> c.cips().create(CreateCipRequest(Currency.PEN, BigDecimal("5.00"), "LOG-2", "a@b.pe")) } }
            assertTrue(synchronized(captured) { captured.list.none { !it.level.isGreaterOrEqual(Level.WARN) } })
        } finally {
            logger.detachAppender(captured)
            logger.isAdditive = true
            logger.level = null
        }
    }
}
