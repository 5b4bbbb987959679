// JSON both ways across the native boundary: native values written the way the core's money/time/number
// rules expect them, and the core's answers read back exactly (no double, no clamping).
package pe.pagoefectivo.internal

import pe.pagoefectivo.FieldError
import pe.pagoefectivo.ValidationException
import pe.pagoefectivo.WireValue
import java.io.ByteArrayOutputStream
import java.math.BigDecimal
import java.math.BigInteger
import java.nio.charset.StandardCharsets
import java.time.Instant
import java.time.LocalDate
import java.time.LocalDateTime
import java.time.OffsetDateTime
import java.time.ZoneOffset
import java.time.ZonedDateTime
import java.time.format.DateTimeFormatter
import java.util.Optional

/**
 * Writes a request the way `core/src/boundary/input.rs` reads it: a `BigDecimal` as its decimal
 * string, a `Double` as a JSON number with a fraction or an exponent (so the core can refuse it as
 * a binary float), integers exactly (a `BigInteger` past 2^63 too), an `OffsetDateTime` as ISO text
 * with its offset, a `LocalDateTime` as ISO text without one (which the core refuses as ambiguous).
 * A Java string that has no UTF-8 form (a lone surrogate) cannot cross: it is refused here, naming the field.
 */
internal class JsonWriter {
    private val out = StringBuilder(256)
    private val path = ArrayList<String>(4)
    private var badText: MutableList<String>? = null

    fun bytes(): ByteArray {
        badText?.let { fields ->
            throw Errors.validation(fields.map { FieldError(it, "113", NOT_UNICODE) })
        }
        return out.toString().toByteArray(StandardCharsets.UTF_8)
    }

    private fun field(): String = path.joinToString(".").ifEmpty { "value" }

    fun value(v: Any?): JsonWriter {
        when (v) {
            null -> out.append("null")
            is String -> string(v)
            is Boolean -> out.append(if (v) "true" else "false")
            is Int, is Long, is Short, is Byte, is BigInteger -> out.append(v.toString())
            is BigDecimal -> string(v.toString())
            is Double -> float(v)
            is Float -> float(v.toDouble())
            is OffsetDateTime -> string(ISO_OFFSET.format(v))
            is ZonedDateTime -> string(ISO_OFFSET.format(v.toOffsetDateTime()))
            is Instant -> string(ISO_OFFSET.format(v.atOffset(ZoneOffset.UTC)))
            is LocalDateTime -> string(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(v))
            is LocalDate -> string(v.toString())
            is WireValue -> string(v.wire)
            is Enum<*> -> string(v.name)
            is Optional<*> -> value(v.orElse(null))
            is Map<*, *> -> {
                out.append('{')
                var first = true
                for ((k, x) in v) {
                    if (!first) out.append(',')
                    first = false
                    val key = k.toString()
                    string(key)
                    out.append(':')
                    path.add(key)
                    value(x)
                    path.removeAt(path.size - 1)
                }
                out.append('}')
            }
            is Iterable<*> -> list(v.iterator())
            is Array<*> -> list(v.iterator())
            is LongArray -> list(v.iterator())
            is IntArray -> list(v.iterator())
            is CharSequence -> string(v.toString())
            else -> throw Errors.validation(
                listOf(FieldError(field(), "113", "is a ${v.javaClass.name}, which has no JSON form")),
            )
        }
        return this
    }

    private fun list(items: Iterator<*>) {
        out.append('[')
        var first = true
        for (x in items) {
            if (!first) out.append(',')
            first = false
            value(x)
        }
        out.append(']')
    }

    private fun float(d: Double) {
        if (d.isNaN() || d.isInfinite()) {
            throw Errors.validation(listOf(FieldError(field(), "113", "is $d, which is not a number JSON can hold")))
        }
        // Kotlin prints 25.0 as "25.0" and 1e21 as "1.0E21": always a fraction or an exponent.
        out.append(d.toString())
    }

    private fun string(s: String) {
        out.append('"')
        var i = 0
        val n = s.length
        while (i < n) {
            val c = s[i]
            when {
                c == '"' -> out.append("\\\"")
                c == '\\' -> out.append("\\\\")
                c < ' ' -> out.append("\\u").append(HEX[c.code shr 12 and 15]).append(HEX[c.code shr 8 and 15])
                    .append(HEX[c.code shr 4 and 15]).append(HEX[c.code and 15])
                Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s[i + 1]) -> {
                    out.append(c).append(s[i + 1])
                    i++
                }
                Character.isSurrogate(c) -> {
                    val list = badText ?: ArrayList<String>().also { badText = it }
                    val f = field()
                    if (f !in list) list.add(f)
                    out.append('\uFFFD')
                }
                else -> out.append(c)
            }
            i++
        }
        out.append('"')
    }

    companion object {
        private val HEX = "0123456789abcdef".toCharArray()
        val ISO_OFFSET: DateTimeFormatter = DateTimeFormatter.ISO_OFFSET_DATE_TIME

        /** Said of a Java string with a lone UTF-16 surrogate, which no UTF-8 text can carry. */
        const val NOT_UNICODE = "is not valid Unicode text (a lone UTF-16 surrogate): it has no UTF-8 form"

        fun write(v: Any?): ByteArray = JsonWriter().value(v).bytes()

        /** UTF-8 of a text argument, refusing a lone surrogate as a field error. */
        fun text(s: String, field: String): ByteArray {
            for (i in s.indices) {
                val c = s[i]
                if (Character.isSurrogate(c)) {
                    val paired = if (Character.isHighSurrogate(c)) i + 1 < s.length && Character.isLowSurrogate(s[i + 1])
                    else i > 0 && Character.isHighSurrogate(s[i - 1])
                    if (!paired) throw Errors.validation(listOf(FieldError(field, "113", NOT_UNICODE)))
                }
            }
            return s.toByteArray(StandardCharsets.UTF_8)
        }
    }
}

/**
 * Reads the core's JSON (valid by construction) from a reply's bytes: objects as ordered maps,
 * arrays as lists, integers as `Long` (or `BigInteger` past 2^63: never clamped), other numbers as
 * `BigDecimal`, and strings decoded from UTF-8.
 */
internal class JsonReader(private val b: ByteArray, private var i: Int) {
    fun read(): Any? {
        val v = value()
        ws()
        if (i != b.size) fail("trailing bytes")
        return v
    }

    private fun fail(what: String): Nothing =
        throw Errors.internal("the native library answered JSON this binding cannot read ($what at byte $i)")

    private fun ws() {
        while (i < b.size) {
            val c = b[i].toInt()
            if (c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09) i++ else return
        }
    }

    private fun value(): Any? {
        ws()
        if (i >= b.size) fail("end of input")
        return when (b[i].toInt().toChar()) {
            '{' -> obj()
            '[' -> arr()
            '"' -> str()
            't' -> lit("true", true)
            'f' -> lit("false", false)
            'n' -> lit("null", null)
            else -> num()
        }
    }

    private fun lit(word: String, v: Any?): Any? {
        if (i + word.length > b.size) fail("a truncated literal")
        for (k in word.indices) if (b[i + k].toInt().toChar() != word[k]) fail("an unknown literal")
        i += word.length
        return v
    }

    private fun obj(): Map<String, Any?> {
        i++
        val m = LinkedHashMap<String, Any?>()
        ws()
        if (b[i].toInt().toChar() == '}') {
            i++
            return m
        }
        while (true) {
            ws()
            if (b[i].toInt().toChar() != '"') fail("a key")
            val k = str()
            ws()
            if (b[i++].toInt().toChar() != ':') fail("a colon")
            m[k] = value()
            ws()
            when (b[i++].toInt().toChar()) {
                ',' -> continue
                '}' -> return m
                else -> fail("a comma")
            }
        }
    }

    private fun arr(): List<Any?> {
        i++
        val l = ArrayList<Any?>()
        ws()
        if (b[i].toInt().toChar() == ']') {
            i++
            return l
        }
        while (true) {
            l.add(value())
            ws()
            when (b[i++].toInt().toChar()) {
                ',' -> continue
                ']' -> return l
                else -> fail("a comma")
            }
        }
    }

    private fun str(): String {
        i++
        val start = i
        // Fast path: no escapes, read straight from UTF-8.
        while (i < b.size) {
            val c = b[i].toInt()
            if (c == '"'.code) {
                val s = String(b, start, i - start, StandardCharsets.UTF_8)
                i++
                return s
            }
            if (c == '\\'.code) break
            i++
        }
        val raw = ByteArrayOutputStream()
        raw.write(b, start, i - start)
        while (i < b.size) {
            val c = b[i++].toInt()
            when (c) {
                '"'.code -> return String(raw.toByteArray(), StandardCharsets.UTF_8)
                '\\'.code -> {
                    when (val e = b[i++].toInt().toChar()) {
                        '"' -> raw.write('"'.code)
                        '\\' -> raw.write('\\'.code)
                        '/' -> raw.write('/'.code)
                        'b' -> raw.write(8)
                        'f' -> raw.write(12)
                        'n' -> raw.write(10)
                        'r' -> raw.write(13)
                        't' -> raw.write(9)
                        'u' -> {
                            var cp = hex4()
                            if (Character.isHighSurrogate(cp.toChar()) && i + 1 < b.size && b[i].toInt() == '\\'.code &&
                                b[i + 1].toInt() == 'u'.code
                            ) {
                                i += 2
                                val low = hex4()
                                cp = Character.toCodePoint(cp.toChar(), low.toChar())
                            }
                            raw.write(String(Character.toChars(cp)).toByteArray(StandardCharsets.UTF_8))
                        }
                        else -> fail("an escape \\$e")
                    }
                }
                else -> raw.write(c)
            }
        }
        fail("an unterminated string")
    }

    private fun hex4(): Int {
        if (i + 4 > b.size) fail("a truncated escape")
        val s = String(b, i, 4, StandardCharsets.US_ASCII)
        i += 4
        return s.toIntOrNull(16) ?: fail("a bad escape")
    }

    private fun num(): Any {
        val start = i
        var integer = true
        while (i < b.size) {
            val c = b[i].toInt().toChar()
            if (c in '0'..'9' || c == '-' || c == '+') {
                i++
            } else if (c == '.' || c == 'e' || c == 'E') {
                integer = false
                i++
            } else {
                break
            }
        }
        if (start == i) fail("a value")
        val text = String(b, start, i - start, StandardCharsets.US_ASCII)
        if (integer) {
            if (i - start <= 18) return text.toLong()
            return text.toLongOrNull() ?: BigInteger(text)
        }
        return BigDecimal(text)
    }

    companion object {
        /** The value of a reply's JSON, after its tag byte. */
        fun parse(bytes: ByteArray, from: Int = 0): Any? = JsonReader(bytes, from).read()
    }
}
