package bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.*;

import pe.pagoefectivo.CipStatus;
import pe.pagoefectivo.Event;
import pe.pagoefectivo.Webhooks;

/**
 * The cost of a crossing: a trivial call (a CIP status by code, the core answering "paid") and a
 * webhook verify+parse of the 297-byte body, against the same done in plain Java.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BoundaryBench {
    byte[] body = PlainWebhook.BODY.getBytes(StandardCharsets.UTF_8);
    String signature = PlainWebhook.sign(body, PlainWebhook.SECRET);

    @Benchmark
    public CipStatus trivialCall() {
        return CipStatus.fromCode(23);
    }

    @Benchmark
    public Event webhookSdk() {
        return Webhooks.constructEvent(body, signature, PlainWebhook.SECRET);
    }

    @Benchmark
    public Object webhookPlainJava() throws Exception {
        return PlainWebhook.verify(body, signature, PlainWebhook.SECRET);
    }
}
