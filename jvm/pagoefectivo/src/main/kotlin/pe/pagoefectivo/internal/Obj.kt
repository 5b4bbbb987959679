// Typed reads of the core's JSON objects: exact decimals, offset times, longs without clamping.
package pe.pagoefectivo.internal

import java.math.BigDecimal
import java.math.BigInteger
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneOffset

/**
 * One object of a core answer, read by field name. The shapes are the core's serialized types
 * (`schema/pagoefectivo.schema.json`, checked field by field by SchemaTest), so a missing or
 * mistyped field is a drift between this binding and the core: an internal error, not the caller's.
 */
@JvmInline
internal value class Obj(val map: Map<String, Any?>) {
    constructor(v: Any?, what: String) : this(
        @Suppress("UNCHECKED_CAST") (v as? Map<String, Any?> ?: throw Errors.internal("$what is not an object")),
    )

    private fun drift(key: String, want: String): Nothing =
        throw Errors.internal("field $key of the core's answer is not $want: ${map[key]}")

    operator fun get(key: String): Any? = map[key]

    fun has(key: String): Boolean = map[key] != null

    fun string(key: String): String = map[key] as? String ?: drift(key, "a string")

    fun stringOrNull(key: String): String? = map[key]?.let { it as? String ?: drift(key, "a string") }

    fun bool(key: String): Boolean = map[key] as? Boolean ?: drift(key, "a boolean")

    fun long(key: String): Long = longOrNull(key) ?: drift(key, "an integer")

    fun longOrNull(key: String): Long? = when (val v = map[key]) {
        null -> null
        is Long -> v
        is BigInteger -> drift(key, "within 64 bits") // never clamped to Long.MAX_VALUE
        else -> drift(key, "an integer")
    }

    fun decimal(key: String): BigDecimal = decimalOrNull(key) ?: drift(key, "a decimal")

    fun decimalOrNull(key: String): BigDecimal? = when (val v = map[key]) {
        null -> null
        is String -> v.toBigDecimalOrNull() ?: drift(key, "a decimal")
        is Long -> BigDecimal.valueOf(v)
        is BigDecimal -> v
        is BigInteger -> BigDecimal(v)
        else -> drift(key, "a decimal")
    }

    fun time(key: String): OffsetDateTime = timeOrNull(key) ?: drift(key, "a time")

    fun timeOrNull(key: String): OffsetDateTime? = stringOrNull(key)?.let { Times.parse(it) ?: drift(key, "a time") }

    fun dateOrNull(key: String): LocalDate? = stringOrNull(key)?.let { runCatching { LocalDate.parse(it) }.getOrNull() ?: drift(key, "a date") }

    fun obj(key: String): Obj = Obj(map[key], key)

    fun objOrNull(key: String): Obj? = map[key]?.let { Obj(it, key) }

    fun list(key: String): List<Any?> = map[key] as? List<Any?> ?: drift(key, "a list")

    fun <T> objects(key: String, f: (Obj) -> T): List<T> = list(key).map { f(Obj(it, key)) }
}

internal object Times {
    /**
     * The wire form the core writes (`2026-11-20T18:04:11-05:00`) read without DateTimeFormatter
     * (about 20× faster); anything else through `OffsetDateTime.parse`.
     */
    fun parse(s: String): OffsetDateTime? {
        if (s.length == 25 && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':' &&
            (s[19] == '-' || s[19] == '+') && s[22] == ':'
        ) {
            val y = digits(s, 0, 4)
            val mo = digits(s, 5, 2)
            val d = digits(s, 8, 2)
            val h = digits(s, 11, 2)
            val mi = digits(s, 14, 2)
            val se = digits(s, 17, 2)
            val oh = digits(s, 20, 2)
            val om = digits(s, 23, 2)
            if (y >= 0 && mo >= 0 && d >= 0 && h >= 0 && mi >= 0 && se >= 0 && oh >= 0 && om >= 0) {
                val sign = if (s[19] == '-') -1 else 1
                return runCatching {
                    OffsetDateTime.of(y, mo, d, h, mi, se, 0, offset(sign * (oh * 3600 + om * 60)))
                }.getOrNull()
            }
        }
        return runCatching { OffsetDateTime.parse(s) }.getOrNull()
    }

    private val LIMA: ZoneOffset = ZoneOffset.ofHours(-5)

    private fun offset(seconds: Int): ZoneOffset = if (seconds == -18000) LIMA else ZoneOffset.ofTotalSeconds(seconds)

    private fun digits(s: String, from: Int, n: Int): Int {
        var v = 0
        for (k in from until from + n) {
            val c = s[k]
            if (c !in '0'..'9') return -1
            v = v * 10 + (c - '0')
        }
        return v
    }
}
