package dev.lethe.scripts.tofu;

/**
 * How much of the in-context relearning attack the pipeline runs for its "ICL recovery" columns: H0, H1 and
 * H7 on a seeded sample of {@code items} forget items, greedy answers of at most {@code maxNewTokens}
 * tokens. {@code items} = 0 leaves the columns out. The full grid (H2–H6, many-shot curves) is
 * {@code lethe attack icl}'s job; here every model of a run pays three batched generations (tiny preset:
 * about half a second per model on one thread).
 *
 * @param maxNewTokens enough for the world's longest answer (about 20 tokens) to state its fact
 */
public record IclSpec(int items, int maxNewTokens) {

    /** No attack, no ICL columns. */
    public static final IclSpec OFF = new IclSpec(0, 1);

    public IclSpec {
        if (items < 0 || maxNewTokens < 1) {
            throw new IllegalArgumentException("ICL items must be >= 0 and the token budget positive");
        }
    }

    public boolean enabled() {
        return items > 0;
    }
}
