// The independently computed vectors of tests/vectors/: hashString and PE-Signature.
package pe.pagoefectivo

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Test
import java.io.File

class VectorsTest {
    private fun vectors(name: String) = Conformance.json(File(Conformance.repo, "tests/vectors/$name").readText())["vectors"].toList()

    @Test
    fun hashStringVectors() {
        val vectors = vectors("auth-hashstring.json")
        assertFalse(vectors.isEmpty())
        for (v in vectors) {
            val got = Auth.hashString(v["idService"].asLong(), v["accessKey"].asText(), v["secretKey"].asText(), v["dateRequest"].asText())
            assertEquals(v["hashString"].asText(), got, v["name"].asText())
        }
    }

    @Test
    fun signatureVectors() {
        val vectors = vectors("webhook-signature.json")
        assertFalse(vectors.isEmpty())
        for (v in vectors) {
            val body = v["body"].asText().toByteArray(Charsets.UTF_8)
            val secret = v["secret"].asText()
            val signature = v["signature"]?.takeUnless { it.isNull }?.asText()
            if (v["valid"].asBoolean()) assertEquals(signature!!.trim().lowercase(), Webhooks.sign(body, secret), v["name"].asText())
            val verified = try {
                Webhooks.constructEvent(body, signature, secret)
                true
            } catch (e: SignatureVerificationException) {
                e.reason == "malformed_body"
            }
            assertEquals(v["valid"].asBoolean(), verified, v["name"].asText())
        }
    }
}
