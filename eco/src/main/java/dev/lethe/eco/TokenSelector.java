package dev.lethe.eco;

/**
 * Picks the positions of a sequence whose input embeddings are corrupted (eco.md §4). It sees exactly the
 * tokens the model is given: the prompt when generating, prompt + answer when teacher-forced (as the
 * reference, which runs its selector on {@code prompt + answer}).
 */
@FunctionalInterface
public interface TokenSelector {

    /**
     * @param ids the real tokens of one sequence, BOS included, no padding
     * @return per position, whether to corrupt it
     */
    boolean[] select(int[] ids);

    /** The selector's name in {@code eco.json}. */
    default String name() {
        return "custom";
    }

    /** Every token except the last one (the reference's rule when there is no token classifier). */
    static TokenSelector allButLast() {
        return new TokenSelector() {
            @Override
            public boolean[] select(int[] ids) {
                return allButLast(ids.length);
            }

            @Override
            public String name() {
                return "all_but_last";
            }
        };
    }

    static boolean[] allButLast(int length) {
        boolean[] s = new boolean[length];
        for (int i = 0; i < length - 1; i++) {
            s[i] = true;
        }
        return s;
    }
}
