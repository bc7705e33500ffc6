package dev.lethe.eval.metrics;

/**
 * Precision, recall and F1 of one ROUGE variant, as rouge_score's {@code Score} tuple.
 *
 * @param precision overlap / |prediction tokens|
 * @param recall    overlap / |target tokens| (TOFU's ROUGE-L figure)
 * @param f1        harmonic mean of the two, 0 when both are 0 (MUSE's figure)
 */
public record RougeScore(double precision, double recall, double f1) {

    public static final RougeScore ZERO = new RougeScore(0, 0, 0);

    /** rouge_score's {@code scoring.fmeasure}. */
    public static RougeScore of(double precision, double recall) {
        double f = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
        return new RougeScore(precision, recall, f);
    }
}
