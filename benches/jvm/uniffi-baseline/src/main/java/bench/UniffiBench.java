package bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.*;

import pe.pagoefectivo.ffi.Pagoefectivo_uniffiKt;
import pe.pagoefectivo.ffi.WebhookEvent;

/** The uniffi (JNA) binding at commit 1a4ffb0: a trivial call and webhook verify+parse. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UniffiBench {
    byte[] body = PlainWebhook.BODY.getBytes(StandardCharsets.UTF_8);
    String signature = PlainWebhook.sign(body, PlainWebhook.SECRET);

    @Benchmark
    public String cipStatusName() throws Exception {
        return Pagoefectivo_uniffiKt.cipStatusName(23L);
    }

    @Benchmark
    public WebhookEvent webhookVerify() throws Exception {
        return Pagoefectivo_uniffiKt.webhookVerify(body, signature, PlainWebhook.SECRET);
    }

    @Benchmark
    public Object plainJava() throws Exception {
        return PlainWebhook.verify(body, signature, PlainWebhook.SECRET);
    }
}
