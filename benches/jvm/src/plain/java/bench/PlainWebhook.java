package bench;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a merchant writes without the SDK: HMAC-SHA256 with javax.crypto, a constant-time compare,
 * Jackson for the body, amounts as BigDecimal and the payment date as an OffsetDateTime.
 */
public final class PlainWebhook {
    /** A cip.paid notification like the sandbox sends: 297 bytes, the Rust, Python and Node benches' body. */
    public static final String BODY =
        "{\"eventType\":\"cip.paid\",\"operationNumber\":\"1000001\",\"data\":{\"cip\":\"2523136\",\"currency\":\"PEN\",\"amount\":149.90,"
            + "\"paymentDate\":\"2026-11-20T18:04:11-05:00\",\"transactionCode\":\"ORD-2026-11-20-000123\",\"paymentConcept\":"
            + "\"Pedido ORD-2026-11-20-000123 - Tienda Demo\",\"agency\":\"AGENTE KASNET 1234\",\"channel\":\"AGENCIA\"}}";
    public static final String SECRET = "SECRETKEY0000000000000000000000000000000";

    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** The parsed notification. */
    public record Paid(String eventType, String operationNumber, long cip, String currency, BigDecimal amount,
                       OffsetDateTime paymentDate, String transactionCode) {}

    public static String sign(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Verify then parse, as a hand-written endpoint does (a Mac per call: Mac is not thread-safe). */
    public static Paid verify(byte[] body, String signature, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = HexFormat.of().parseHex(signature.trim());
        if (!MessageDigest.isEqual(expected, mac.doFinal(body))) {
            throw new SecurityException("signature mismatch");
        }
        JsonNode n = MAPPER.readTree(body);
        JsonNode d = n.get("data");
        JsonNode date = d.get("paymentDate");
        JsonNode tx = d.get("transactionCode");
        return new Paid(n.get("eventType").asText(), n.get("operationNumber").asText(), Long.parseLong(d.get("cip").asText()),
            d.get("currency").asText(), d.get("amount").decimalValue(),
            date == null ? null : OffsetDateTime.parse(date.asText()), tx == null ? null : tx.asText());
    }

    private PlainWebhook() {}
}
