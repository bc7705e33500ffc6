package dev.lethe.eco;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The gate's decision rule on the classifier's 2-class logit margin {@code m = z₁ − z₀}
 * ({@code p(forget|x) = sigmoid(m)}). Decisions are made on the margin in double precision, never on a
 * recomputed probability, because τ = 0.9999 leaves {@code 1 − p} near float resolution (eco.md §3.2).
 *
 * <ul>
 *   <li>{@link Mode#FIXED} ("faithful", §2.4): flag iff the predicted label is 1 and {@code p > τ}, i.e.
 *       {@code m > max(0, logit τ)} (strict).</li>
 *   <li>{@link Mode#CONFORMAL} (Lethe design, §3): flag iff {@code m ≥ m̂}, the k-th largest calibration
 *       margin; {@code m̂ = −∞} means "flag everything".</li>
 * </ul>
 *
 * @param mode fixed or conformal
 * @param marginCutoff the margin the rule compares against
 * @param inclusive whether a margin equal to the cutoff is flagged (conformal: yes; fixed: no)
 * @param alpha target miss rate (conformal), NaN otherwise
 * @param n calibration prompts (conformal), 0 otherwise
 * @param k order-statistic index used, 0 when fixed
 * @param beta target benign flag rate of the optional FPR-controlled variant, NaN when not used
 * @param negatives benign calibration prompts of that variant, 0 when not used
 * @param negativeCutoff its margin bound: flagging requires {@code m > negativeCutoff}; NaN when not used
 */
public record Threshold(Mode mode, double marginCutoff, boolean inclusive, double alpha, int n, int k, double beta,
                        int negatives, double negativeCutoff) {

    /** Faithful fixed-τ rule or calibrated conformal rule. */
    public enum Mode { FIXED, CONFORMAL }

    /** The reference's fixed rule: flag iff argmax = forget and {@code p > τ} (TOFU: 0.99, forget10: 0.9999). */
    public static Threshold fixed(double tau) {
        if (!(tau > 0 && tau < 1)) {
            throw new IllegalArgumentException("tau must be in (0, 1), got " + tau);
        }
        double logit = Math.log(tau) - Math.log1p(-tau);
        return new Threshold(Mode.FIXED, Math.max(0, logit), false, Double.NaN, 0, 0, Double.NaN, 0, Double.NaN);
    }

    /** Whether a prompt with this margin is corrupted. */
    public boolean flags(double margin) {
        if (mode == Mode.CONFORMAL && !Double.isNaN(negativeCutoff)) {
            // Both bounds requested and feasible (negativeCutoff < marginCutoff, checked by
            // ConformalThreshold.withFalsePositiveBound): any τ in [τ_neg, τ̂] keeps both guarantees (eco.md §3.2).
            // The lowest one flags a superset of the α rule, so the miss rate stays ≤ α, while the benign flag rate
            // stays ≤ β; it maximises the paraphrase TPR under the benign bound.
            return margin > negativeCutoff;
        }
        boolean pass = inclusive ? margin >= marginCutoff : margin > marginCutoff;
        return pass && (Double.isNaN(negativeCutoff) || margin > negativeCutoff);
    }

    /** The τ the rule effectively applies: {@code sigmoid(negativeCutoff)} in conformal mode with β, else {@link #tau}. */
    public double effectiveTau() {
        return mode == Mode.CONFORMAL && !Double.isNaN(negativeCutoff) ? sigmoid(negativeCutoff) : tau();
    }

    /** τ for display: {@code sigmoid(marginCutoff)} (0 when everything is flagged). */
    public double tau() {
        return sigmoid(marginCutoff);
    }

    public static double sigmoid(double m) {
        return m >= 0 ? 1 / (1 + Math.exp(-m)) : Math.exp(m) / (1 + Math.exp(m));
    }

    ObjectNode toJson(ObjectMapper json) {
        ObjectNode o = json.createObjectNode();
        o.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT));
        o.put("margin_cutoff", marginCutoff);
        o.put("inclusive", inclusive);
        o.put("tau", tau());
        o.put("effective_tau", effectiveTau());
        o.put("alpha", alpha);
        o.put("n", n);
        o.put("k", k);
        o.put("beta", beta);
        o.put("negatives", negatives);
        o.put("negative_cutoff", negativeCutoff);
        return o;
    }

    static Threshold fromJson(JsonNode o) {
        return new Threshold(Mode.valueOf(o.get("mode").asText().toUpperCase(java.util.Locale.ROOT)),
                number(o.get("margin_cutoff")), o.get("inclusive").asBoolean(), number(o.get("alpha")),
                o.get("n").asInt(), o.get("k").asInt(), number(o.get("beta")), o.get("negatives").asInt(),
                number(o.get("negative_cutoff")));
    }

    /** Jackson writes NaN and ±∞ as strings when asked, numbers otherwise; accept both. */
    private static double number(JsonNode n) {
        if (n == null || n.isNull()) {
            return Double.NaN;
        }
        return n.isNumber() ? n.asDouble() : Double.parseDouble(n.asText());
    }
}
