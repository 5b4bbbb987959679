package bench;

import java.util.ArrayList;
import java.util.List;

import pe.pagoefectivo.Config;
import pe.pagoefectivo.PagoEfectivo;

/**
 * Client creation for benches/client-creation.sh: `new PagoEfectivo(config)` with a sandbox config, no network (a client
 * connects on first use). `ClientCreation N` prints µs per client over N (after one); `ClientCreation 0` makes one
 * client and exits (its start-up is timed against `ClientCreation empty`, which makes none).
 */
public final class ClientCreation {
    static Config config() {
        return Config.builder().baseUrl("http://127.0.0.1:9/v1/").accessKey("ACCESSKEY00000000000")
            .secretKey("SECRETKEY0000000000000000000000000000000").serviceId(1234).build();
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("empty")) return;
        int n = Integer.parseInt(args[0]);
        try (PagoEfectivo first = new PagoEfectivo(config())) {
            if (n == 0) return;
            List<Double> rounds = new ArrayList<>();
            for (int r = 0; r < 5; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    new PagoEfectivo(config()).close();
                }
                rounds.add((System.nanoTime() - t0) / 1e3 / n);
            }
            Rounds.value("jvm_client_new", rounds, "us", "<=1000",
                "new PagoEfectivo(config) + close, " + n + " per round, 5 rounds (release library)");
        }
    }
}
