package bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Interleaved rounds and the RATIO/VALUE lines benches/run.sh collects (min and median over the rounds). */
final class Rounds {
    private Rounds() {}

    interface Case { Object run() throws Exception; }

    static volatile Object sink;

    /** ns per call of each case, one entry per round; each round times every case once, the order rotating. */
    static Map<String, List<Double>> interleaved(Map<String, Case> cases, int calls, int rounds) throws Exception {
        List<String> names = new ArrayList<>(cases.keySet());
        Map<String, List<Double>> out = new LinkedHashMap<>();
        for (String n : names) out.put(n, new ArrayList<>());
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < names.size(); k++) {
                String name = names.get((r + k) % names.size());
                Case c = cases.get(name);
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) sink = c.run();
                out.get(name).add((System.nanoTime() - t0) / (double) calls);
            }
        }
        return out;
    }

    static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    static double min(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static List<Double> ratios(List<Double> a, List<Double> b) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) out.add(a.get(i) / b.get(i));
        return out;
    }

    static String verdict(double median, String target) {
        if (target.isEmpty() || target.equals("-")) return "-";
        double bound = Double.parseDouble(target.substring(2));
        return (target.startsWith("<=") ? median <= bound : median >= bound) ? "ok" : "miss";
    }

    static void ratio(String name, List<Double> xs, String target, String text) {
        double med = median(xs);
        System.out.printf("RATIO %s %.3f %.3f %s %s # %s%n", name, min(xs), med, target, verdict(med, target), text);
    }

    static void value(String name, List<Double> xs, String unit, String target, String text) {
        double med = median(xs);
        String judged = target.isEmpty() ? "" : " " + target + " " + verdict(med, target);
        System.out.printf("VALUE %s %.4g %.4g %s%s # %s%n", name, min(xs), med, unit, judged, text);
    }

    static List<Double> scaled(List<Double> xs, double by) {
        return Arrays.asList(xs.stream().map(x -> x * by).toArray(Double[]::new));
    }
}
