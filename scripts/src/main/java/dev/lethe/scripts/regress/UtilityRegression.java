package dev.lethe.scripts.regress;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Compares a run with a baseline: a method fails when its model utility fell by more than the tolerance
 * (absolute, utility is in [0, 1]), when it is missing from the run, or when its utility is no longer a
 * number. Forget quality is shown (as the change in orders of magnitude) but does not fail the check: at tiny
 * scale its KS p-value moves by orders of magnitude with a single flipped item, so it is a signal to read,
 * not a gate. A run of another preset, split or seed is refused outright: its numbers are not comparable.
 */
public final class UtilityRegression {

    /** One table line. */
    public record Line(String method, Double baseMu, Double mu, Double baseFq, Double fq, Status status) {

        /** Current minus baseline utility; null when either is missing. */
        public Double delta() {
            return baseMu == null || mu == null ? null : mu - baseMu;
        }
    }

    /** Outcome of one method. */
    public enum Status { OK, IMPROVED, REGRESSED, MISSING, NOT_A_NUMBER, NEW }

    /** The whole comparison. */
    public record Report(List<Line> lines, double tolerance, List<String> problems) {

        public boolean passed() {
            return problems.isEmpty() && lines.stream().noneMatch(l -> l.status() == Status.REGRESSED
                    || l.status() == Status.MISSING || l.status() == Status.NOT_A_NUMBER);
        }

        public String table() {
            StringBuilder sb = new StringBuilder();
            problems.forEach(p -> sb.append("error: ").append(p).append('\n'));
            sb.append(String.format(Locale.ROOT, "%-12s %10s %10s %9s   %10s %10s %8s   %s%n", "method",
                    "base MU", "run MU", "ΔMU", "base FQ", "run FQ", "Δlog10FQ", "status"));
            for (Line l : lines) {
                sb.append(String.format(Locale.ROOT, "%-12s %10s %10s %9s   %10s %10s %8s   %s%n", l.method(),
                        f(l.baseMu(), "%.4f"), f(l.mu(), "%.4f"), f(l.delta(), "%+.4f"), f(l.baseFq(), "%.2e"),
                        f(l.fq(), "%.2e"), f(log10Ratio(l.fq(), l.baseFq()), "%+.2f"), describe(l.status())));
            }
            sb.append(String.format(Locale.ROOT, "tolerance: a method fails when its model utility drops by more "
                    + "than %.4f; %s%n", tolerance, passed() ? "PASSED" : "FAILED"));
            return sb.toString();
        }

        private String describe(Status s) {
            return switch (s) {
                case OK -> "ok";
                case IMPROVED -> "improved (beyond tolerance: --update the baseline if intended)";
                case REGRESSED -> "REGRESSED (utility dropped beyond tolerance)";
                case MISSING -> "MISSING from the run";
                case NOT_A_NUMBER -> "MU is not a number";
                case NEW -> "new (not in the baseline)";
            };
        }
    }

    private UtilityRegression() {}

    public static Report compare(Baseline baseline, Baseline run, double tolerance) {
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("tolerance must be ≥ 0, got " + tolerance);
        }
        List<String> problems = new ArrayList<>();
        check(problems, "preset", baseline.preset(), run.preset());
        check(problems, "split", baseline.split(), run.split());
        if (baseline.seed() != run.seed()) {
            problems.add("the baseline was made with seed " + baseline.seed() + ", the run with seed " + run.seed());
        }
        List<Line> lines = new ArrayList<>();
        baseline.methods().forEach((method, b) -> {
            Baseline.Numbers r = run.methods().get(method);
            if (r == null) {
                lines.add(new Line(method, b.modelUtility(), null, b.forgetQuality(), null, Status.MISSING));
                return;
            }
            Status s;
            if (b.modelUtility() == null) {
                s = Status.OK; // nothing to hold the run to
            } else if (r.modelUtility() == null || !Double.isFinite(r.modelUtility())) {
                s = Status.NOT_A_NUMBER;
            } else if (b.modelUtility() - r.modelUtility() > tolerance) {
                s = Status.REGRESSED;
            } else if (r.modelUtility() - b.modelUtility() > tolerance) {
                s = Status.IMPROVED;
            } else {
                s = Status.OK;
            }
            lines.add(new Line(method, b.modelUtility(), r.modelUtility(), b.forgetQuality(), r.forgetQuality(), s));
        });
        run.methods().forEach((method, r) -> {
            if (!baseline.methods().containsKey(method)) {
                lines.add(new Line(method, null, r.modelUtility(), null, r.forgetQuality(), Status.NEW));
            }
        });
        return new Report(lines, tolerance, problems);
    }

    private static void check(List<String> problems, String what, String base, String run) {
        if (!Objects.equals(base, run)) {
            problems.add("the baseline is for " + what + " '" + base + "', the run for '" + run
                    + "': not comparable");
        }
    }

    private static Double log10Ratio(Double a, Double b) {
        if (a == null || b == null || a <= 0 || b <= 0) {
            return null;
        }
        return Math.log10(a) - Math.log10(b);
    }

    private static String f(Double v, String pattern) {
        return v == null ? "–" : Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, pattern, v);
    }
}
