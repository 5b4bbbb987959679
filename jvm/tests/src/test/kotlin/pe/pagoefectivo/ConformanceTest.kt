// Every case of tests/conformance/*.json, each a JUnit dynamic test named after its file and case.
package pe.pagoefectivo

import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.parallel.Execution
import org.junit.jupiter.api.parallel.ExecutionMode
import java.io.File

class ConformanceTest {
    private fun files(): List<File> =
        File(Conformance.repo, "tests/conformance").listFiles { f -> f.name.endsWith(".json") }!!.sortedBy { it.name }

    /** Scenarios each start their own sandbox, so cases run concurrently. */
    @TestFactory
    @Execution(ExecutionMode.CONCURRENT)
    fun cases(): List<DynamicTest> = files().flatMap { file ->
        Conformance.json(file.readText())["cases"].map { case ->
            DynamicTest.dynamicTest("${file.name}: ${case["name"].asText()}") {
                val op = case["op"].asText()
                val failure = if (op == "scenario") {
                    Conformance.scenario(case["input"])
                } else {
                    Conformance.checkOutcome(case["expect"], Conformance.offline(op, Conformance.native(case["input"])))
                }
                assertNull(failure)
            }
        }
    }

    @Test
    fun theMatcherReportsDifferences() {
        val j = Conformance::json
        assertNull(Conformance.check(j("""{"a":"25.50"}"""), j("""{"a":"25.50","b":1}"""), "ok"))
        assertTrue(Conformance.check(j("""{"a":"25.50"}"""), j("""{"a":"25.5"}"""), "ok") != null)
        assertTrue(Conformance.check(j("[1]"), j("[1,2]"), "ok") != null)
        assertTrue(Conformance.check(j("""{"a":{"b":null}}"""), j("""{"a":{}}"""), "ok") == null)
        assertTrue(Conformance.checkOutcome(j("""{"ok":null}"""), Outcome(false, j("{}"))) != null)
    }

    @Test
    fun everyFileAndEveryCaseRuns() {
        val names = files().map { it.name }
        assertTrue(names.containsAll(listOf("boundary.json", "fidelity.json", "hostile.json")), "$names")
        assertTrue(cases().size > 200)
    }
}
