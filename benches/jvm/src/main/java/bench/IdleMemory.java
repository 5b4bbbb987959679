package bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import pe.pagoefectivo.PagoEfectivo;
import pe.pagoefectivo.testing.Sandbox;

/**
 * Idle client memory: the process's resident set and the Java heap after K clients were made and
 * each authenticated once (a token cached, a connection open), SDK or plain java.net.http. Run each
 * kind in its own JVM: `IdleMemory sdk 50`, `IdleMemory plain 50`.
 */
public final class IdleMemory {
    static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }

    static long heapKb() {
        for (int i = 0; i < 3; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024;
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int k = Integer.parseInt(args[1]);
        try (Sandbox sb = Sandbox.start()) {
            // The first of each kind pays for class loading and the shared runtime: not counted.
            List<Object> keep = new ArrayList<>();
            keep.add(make(kind, sb));
            long rss0 = rssKb(), heap0 = heapKb();
            for (int i = 0; i < k; i++) keep.add(make(kind, sb));
            long rss1 = rssKb(), heap1 = heapKb();
            System.out.printf("%-6s %d clients: %.1f KiB RSS and %.1f KiB heap per idle client%n",
                kind, k, (rss1 - rss0) / (double) k, (heap1 - heap0) / (double) k);
            for (Object o : keep) if (o instanceof AutoCloseable c) c.close();
        }
    }

    static Object make(String kind, Sandbox sb) throws Exception {
        if (kind.equals("sdk")) {
            PagoEfectivo c = sb.client();
            c.authenticate();
            return c;
        }
        return new CreateLoad.Plain(sb);
    }
}
