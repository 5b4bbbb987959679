package bench;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import pe.pagoefectivo.Cip;
import pe.pagoefectivo.CreateCipRequest;
import pe.pagoefectivo.Currency;
import pe.pagoefectivo.PagoEfectivo;
import pe.pagoefectivo.testing.Sandbox;

/**
 * CIP creation at 32 concurrent calls against the in-process sandbox: the SDK (async futures and
 * blocking threads) against a hand-rolled java.net.http client doing the same calls (one
 * authorization, then POST /v1/cips with the JSON body, the answer parsed with an exact
 * BigDecimal). Contenders are interleaved over several rounds (the order rotating); the best and worst round of each,
 * and the per-round ratios benches/run.sh collects.
 */
public final class CreateLoad {
    static final int CONCURRENCY = 32;
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    record Result(double perSecond, double cpuMicrosPerCall, int errors) {}

    static CreateCipRequest request(int i) {
        return CreateCipRequest.builder().currency(Currency.PEN).amount(new BigDecimal("25.50"))
            .transactionCode("ORD-" + i).userEmail("buyer@example.pe").paymentConcept("Pedido de prueba").build();
    }

    static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** `n` calls with at most CONCURRENCY in flight, each started by `start` and completed by its future. */
    static Result inFlight(int n, IntFunction<CompletableFuture<?>> start) throws InterruptedException {
        Semaphore slots = new Semaphore(CONCURRENCY);
        CountDownLatch done = new CountDownLatch(n);
        AtomicInteger errors = new AtomicInteger();
        long c0 = cpu();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            slots.acquire();
            start.apply(i).whenComplete((v, e) -> {
                if (e != null && errors.getAndIncrement() == 0) e.printStackTrace();
                slots.release();
                done.countDown();
            });
        }
        done.await();
        long t = System.nanoTime() - t0;
        return new Result(n / (t / 1e9), (cpu() - c0) / 1e3 / n, errors.get());
    }

    interface Call { void run(int i) throws Exception; }

    /** `n` calls from CONCURRENCY threads, each blocking. */
    static Result threads(int n, Call call) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(CONCURRENCY);
        long c0 = cpu();
        long t0 = System.nanoTime();
        for (int w = 0; w < CONCURRENCY; w++) {
            pool.execute(() -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    try {
                        call.run(i);
                    } catch (Exception e) {
                        if (errors.getAndIncrement() == 0) e.printStackTrace();
                    }
                }
                done.countDown();
            });
        }
        done.await();
        long t = System.nanoTime() - t0;
        pool.shutdown();
        return new Result(n / (t / 1e9), (cpu() - c0) / 1e3 / n, errors.get());
    }

    /** What a merchant writes by hand with java.net.http: hashString auth, bearer token, JSON both ways. */
    static final class Plain {
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        final Sandbox sb;
        final String token;

        Plain(Sandbox sb) throws Exception {
            this.sb = sb;
            String date = OffsetDateTime.now(ZoneOffset.ofHours(-5)).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx"));
            String text = sb.getIdService() + "." + sb.getAccessKey() + "." + sb.getSecretKey() + "." + date;
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
            Map<String, Object> auth = new LinkedHashMap<>();
            auth.put("accessKey", sb.getAccessKey());
            auth.put("idService", sb.getIdService());
            auth.put("dateRequest", date);
            auth.put("hashString", hash);
            JsonNode answer = MAPPER.readTree(http.send(post("authorizations", auth, null), HttpResponse.BodyHandlers.ofByteArray()).body());
            token = answer.get("data").get("token").asText();
        }

        HttpRequest post(String path, Object body, String token) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sb.getBaseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body)));
            if (token != null) b.header("Authorization", "Bearer " + token);
            return b.build();
        }

        Map<String, Object> body(int i) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("currency", "PEN");
            m.put("amount", new BigDecimal("25.50"));
            m.put("transactionCode", "ORD-" + i);
            m.put("userEmail", "buyer@example.pe");
            m.put("paymentConcept", "Pedido de prueba");
            m.put("serviceId", sb.getIdService());
            return m;
        }

        static BigDecimal parse(byte[] answer) {
            try {
                JsonNode data = MAPPER.readTree(answer).get("data");
                data.get("cip").asLong();
                return data.get("amount").decimalValue();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        CompletableFuture<BigDecimal> createAsync(int i) {
            try {
                return http.sendAsync(post("cips", body(i), token), HttpResponse.BodyHandlers.ofByteArray())
                    .thenApply(r -> parse(r.body()));
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        BigDecimal create(int i) throws Exception {
            return parse(http.send(post("cips", body(i), token), HttpResponse.BodyHandlers.ofByteArray()).body());
        }
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(System.getenv().getOrDefault("LOAD_REQUESTS", "20000"));
        int rounds = Integer.parseInt(System.getenv().getOrDefault("LOAD_ROUNDS", "3"));
        try (Sandbox sb = Sandbox.start(); PagoEfectivo sdk = sb.client()) {
            Plain plain = new Plain(sb);
            Map<String, List<Result>> results = new LinkedHashMap<>();
            Map<String, Call> warm = Map.of("warm-up", i -> sdk.cips().create(request(i)));
            threads(2000, warm.get("warm-up"));
            inFlight(2000, plain::createAsync);
            Map<String, Call> contenders = new LinkedHashMap<>();
            contenders.put(ASYNC, x -> results.get(ASYNC).add(inFlight(n, i -> sdk.cips().createAsync(request(i)))));
            contenders.put(PLAIN_ASYNC, x -> results.get(PLAIN_ASYNC).add(inFlight(n, plain::createAsync)));
            contenders.put(BLOCKING, x -> results.get(BLOCKING).add(threads(n, i -> { Cip c = sdk.cips().create(request(i)); })));
            contenders.put(PLAIN_BLOCKING, x -> results.get(PLAIN_BLOCKING).add(threads(n, plain::create)));
            List<String> names = new ArrayList<>(contenders.keySet());
            for (String name : names) results.put(name, new ArrayList<>());
            for (int r = 0; r < rounds; r++) {
                // The order rotates, so no contender always runs first (or last) in a round.
                for (int k = 0; k < names.size(); k++) contenders.get(names.get((r + k) % names.size())).run(r);
            }
            System.out.printf("CIP creation, %d calls per round, %d rounds, %d concurrent; %s, %d CPUs%n", n, rounds, CONCURRENCY,
                System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors());
            for (Map.Entry<String, List<Result>> e : results.entrySet()) {
                Result best = e.getValue().stream().max((a, b) -> Double.compare(a.perSecond(), b.perSecond())).get();
                Result worst = e.getValue().stream().min((a, b) -> Double.compare(a.perSecond(), b.perSecond())).get();
                int errors = e.getValue().stream().mapToInt(Result::errors).sum();
                System.out.printf("%-42s best %8.0f/s  worst %8.0f/s  %6.1f us CPU/call  errors %d%n",
                    e.getKey(), best.perSecond(), worst.perSecond(), best.cpuMicrosPerCall(), errors);
                if (errors > 0) throw new IllegalStateException(errors + " errors in " + e.getKey());
            }
            Rounds.ratio("jvm_create_async_vs_java_net_http", perRound(results, ASYNC, PLAIN_ASYNC, Result::perSecond), ">=2.0",
                "creations/s, createAsync ÷ HttpClient.sendAsync, 32 in flight");
            Rounds.ratio("jvm_create_async_cpu_vs_java_net_http", perRound(results, ASYNC, PLAIN_ASYNC, Result::cpuMicrosPerCall), "-",
                "process CPU per creation (sandbox included), createAsync ÷ sendAsync");
            Rounds.ratio("jvm_create_blocking_vs_java_net_http", perRound(results, BLOCKING, PLAIN_BLOCKING, Result::perSecond), "-",
                "creations/s, create ÷ HttpClient.send, 32 threads");
            Rounds.value("jvm_create_async", results.get(ASYNC).stream().map(Result::perSecond).toList(), "creations/s", "",
                "createAsync, 32 in flight (min: worst round)");
        }
    }

    static final String ASYNC = "sdk createAsync, 32 in flight";
    static final String PLAIN_ASYNC = "java.net.http sendAsync, 32 in flight";
    static final String BLOCKING = "sdk create, 32 threads";
    static final String PLAIN_BLOCKING = "java.net.http send, 32 threads";

    static List<Double> perRound(Map<String, List<Result>> results, String a, String b, java.util.function.ToDoubleFunction<Result> f) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < results.get(a).size(); i++) {
            out.add(f.applyAsDouble(results.get(a).get(i)) / f.applyAsDouble(results.get(b).get(i)));
        }
        return out;
    }
}
