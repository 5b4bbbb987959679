package bench;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import pe.pagoefectivo.CipStatus;
import pe.pagoefectivo.Webhooks;

/**
 * Webhook verify+parse of the 297-byte cip.paid, SDK (JNI) against plain Java, and the trivial crossing, interleaved in
 * one JVM after a common warm-up: the per-round ratios benches/run.sh collects (JMH's BoundaryBench times each alone).
 * Env: JVM_BENCH_CALLS (50000 per round), JVM_BENCH_ROUNDS (11), JVM_BENCH_WARMUP (300000 calls each).
 */
public final class WebhookRounds {
    public static void main(String[] args) throws Exception {
        int calls = Integer.parseInt(System.getenv().getOrDefault("JVM_BENCH_CALLS", "50000"));
        int rounds = Integer.parseInt(System.getenv().getOrDefault("JVM_BENCH_ROUNDS", "11"));
        int warmup = Integer.parseInt(System.getenv().getOrDefault("JVM_BENCH_WARMUP", "300000"));
        byte[] body = PlainWebhook.BODY.getBytes(StandardCharsets.UTF_8);
        String sig = PlainWebhook.sign(body, PlainWebhook.SECRET);
        Map<String, Rounds.Case> cases = new LinkedHashMap<>();
        cases.put("sdk", () -> Webhooks.constructEvent(body, sig, PlainWebhook.SECRET));
        cases.put("plain", () -> PlainWebhook.verify(body, sig, PlainWebhook.SECRET));
        cases.put("trivial", () -> CipStatus.fromCode(23));
        Rounds.interleaved(cases, warmup, 1);
        Map<String, List<Double>> ns = Rounds.interleaved(cases, calls, rounds);
        System.out.printf("webhook verify+parse, %d rounds x %d calls, ns/call min / median%n", rounds, calls);
        for (var e : ns.entrySet()) {
            System.out.printf("%-8s %8.0f / %8.0f%n", e.getKey(), Rounds.min(e.getValue()), Rounds.median(e.getValue()));
        }
        Rounds.ratio("jvm_webhook_vs_plain", Rounds.ratios(ns.get("sdk"), ns.get("plain")), "<=1.0",
            "time, Webhooks.constructEvent ÷ plain javax.crypto.Mac + Jackson, same JVM");
        Rounds.value("jvm_webhook_verify_parse", Rounds.scaled(ns.get("sdk"), 1e-3), "us", "",
            "Webhooks.constructEvent of the 297-byte cip.paid");
        Rounds.value("jvm_trivial_call", Rounds.scaled(ns.get("trivial"), 1e-3), "us", "<=2",
            "CipStatus.fromCode(23): one JNI crossing");
    }
}
