// Finds the native library inside the jar (JNA's resource layout, `linux-x86-64/`), extracts it and loads it.
package pe.pagoefectivo.internal

import java.io.File
import java.nio.file.Files
import java.nio.file.StandardCopyOption

internal object NativeLibrary {
    /** The production library, in the `pagoefectivo` jar. */
    private const val PRODUCTION = "pagoefectivo_jvm"

    /** The same binding plus the sandbox, in the test-scoped `pagoefectivo-testing` jar: preferred when present. */
    private const val TESTING = "pagoefectivo_jvm_testing"

    /** `linux-x86-64`, `linux-aarch64`, `darwin-aarch64`, `win32-x86-64`: JNA's names for the platforms. */
    fun platform(): String {
        val os = System.getProperty("os.name").lowercase()
        val arch = when (val a = System.getProperty("os.arch").lowercase()) {
            "amd64", "x86_64" -> "x86-64"
            "aarch64", "arm64" -> "aarch64"
            else -> a
        }
        val name = when {
            os.startsWith("linux") -> "linux"
            os.startsWith("mac") || os.startsWith("darwin") -> "darwin"
            os.startsWith("windows") -> "win32"
            else -> os.replace(' ', '-')
        }
        return "$name-$arch"
    }

    @Volatile private var loaded: String? = null

    /** Where the library was loaded from (for diagnostics). */
    fun source(): String? = loaded

    @Synchronized
    fun load() {
        if (loaded != null) return
        // An explicit file wins: a library built from source, for development.
        System.getProperty("pagoefectivo.native.library")?.let {
            System.load(File(it).absolutePath)
            loaded = it
            return
        }
        val dir = platform()
        val file = System.mapLibraryName("x").substringAfter("x") // ".so", ".dylib", ".dll"
        val prefix = if (file == ".dll") "" else "lib"
        val loader = NativeLibrary::class.java.classLoader
        for (name in listOf(TESTING, PRODUCTION)) {
            val resource = "$dir/$prefix$name$file"
            val url = loader.getResource(resource) ?: continue
            val tmp = Files.createTempFile("pagoefectivo-", file)
            try {
                url.openStream().use { Files.copy(it, tmp, StandardCopyOption.REPLACE_EXISTING) }
                System.load(tmp.toAbsolutePath().toString())
            } finally {
                // Loaded libraries stay mapped: the file is not needed once loaded (on Windows it stays till exit).
                if (!runCatching { Files.deleteIfExists(tmp) }.getOrDefault(false)) tmp.toFile().deleteOnExit()
            }
            loaded = url.toString()
            return
        }
        throw UnsatisfiedLinkError(
            "pagoefectivo has no native library for $dir in its jar (looked for $dir/$prefix$PRODUCTION$file): " +
                "this platform is not packaged yet; build bindings/jvm and set -Dpagoefectivo.native.library=<path>",
        )
    }
}
