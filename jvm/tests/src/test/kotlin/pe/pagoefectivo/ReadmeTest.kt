// The READMEs' JVM examples are compiled test sources (readme/Shop.kt, readme/Checkout.java): each README must show
// them verbatim, and each runs as its own program against a sandbox through the PAGOEFECTIVO_* variables.
package pe.pagoefectivo

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import pe.pagoefectivo.testing.Sandbox
import java.io.File
import java.util.concurrent.TimeUnit

class ReadmeTest {
    private val tests = File(Conformance.repo, "jvm/tests/src/test")

    /** A source file as the README shows it: from its first import on. */
    private fun shown(file: File): String = file.readLines().dropWhile { !it.startsWith("import ") }.joinToString("\n").trim()

    /** The fenced blocks of [lang] in a Markdown file. */
    private fun blocks(md: File, lang: String): List<String> =
        Regex("```$lang\\n(.*?)```", RegexOption.DOT_MATCHES_ALL).findAll(md.readText()).map { it.groupValues[1].trim() }.toList()

    private fun jvmSection(md: File): File {
        val text = md.readText()
        val start = text.indexOf("\n## JVM")
        check(start >= 0) { "no JVM section in $md" }
        val end = text.indexOf("\n## ", start + 1).takeIf { it > 0 } ?: text.length
        return File.createTempFile("readme-jvm", ".md").apply { writeText(text.substring(start, end)); deleteOnExit() }
    }

    private fun run(mainClass: String, sb: Sandbox): String {
        val java = File(System.getProperty("java.home"), "bin/java").path
        val p = ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), mainClass).redirectErrorStream(true)
        p.environment().putAll(
            mapOf(
                "PAGOEFECTIVO_ENVIRONMENT" to sb.baseUrl, "PAGOEFECTIVO_ACCESS_KEY" to sb.accessKey,
                "PAGOEFECTIVO_SECRET_KEY" to sb.secretKey, "PAGOEFECTIVO_SERVICE_ID" to sb.idService.toString(),
            ),
        )
        val proc = p.start()
        val out = proc.inputStream.bufferedReader().readText()
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS))
        assertEquals(0, proc.exitValue(), out)
        return out
    }

    @Test
    fun theReadmesShowTheExamplesVerbatim() {
        val kotlin = shown(File(tests, "kotlin/pe/pagoefectivo/readme/Shop.kt"))
        val java = shown(File(tests, "java/pe/pagoefectivo/readme/Checkout.java"))
        val jvmReadme = File(Conformance.repo, "jvm/README.md")
        assertTrue(kotlin in blocks(jvmReadme, "kotlin"), "jvm/README.md shows readme/Shop.kt")
        assertTrue(java in blocks(jvmReadme, "java"), "jvm/README.md shows readme/Checkout.java")
        assertTrue(kotlin in blocks(jvmSection(File(Conformance.repo, "README.md")), "kotlin"), "README.md's JVM section shows readme/Shop.kt")
    }

    @Test
    fun theExamplesRunAgainstTheSandbox() {
        Sandbox.start().use { sb ->
            val k = run("pe.pagoefectivo.readme.ShopKt", sb)
            assertTrue(Regex("CIP \\d+ for PEN 149.90: pay at http").containsMatchIn(k), k)
            assertTrue(k.contains("status: GENERATED"), k)
            val j = run("pe.pagoefectivo.readme.Checkout", sb)
            assertTrue(j.contains("refused: [") && j.contains("field=amount, code=113"), j)
        }
    }
}
