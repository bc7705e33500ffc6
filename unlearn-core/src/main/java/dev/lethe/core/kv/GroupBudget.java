package dev.lethe.core.kv;

/**
 * Per-head KV budgets of UNComp's two head groups (reference: {@code uncomp_utils.py}).
 *
 * @param high tokens kept per high-entropy head
 * @param low tokens kept per low-entropy head
 */
public record GroupBudget(int high, int low) {

    /**
     * The reference rule for nominal capacity C and prompt length q: B_hi = ⌊3C/2⌋, B_lo = ⌊B_hi/2⌋
     * (C = 512 → 768, 384); if q ≤ B_hi, (q, q/2). The mean is 1.125·C, not C.
     */
    public static GroupBudget reference(int capacity, int promptLength) {
        int hi = 3 * capacity / 2;
        if (promptLength <= hi) {
            return new GroupBudget(promptLength, promptLength / 2);
        }
        return new GroupBudget(hi, hi / 2);
    }

    /** Lethe deviation with mean exactly C: (⌊4C/3⌋, ⌊2C/3⌋), capped at the prompt length. */
    public static GroupBudget equalMemory(int capacity, int promptLength) {
        return new GroupBudget(Math.min(promptLength, 4 * capacity / 3), Math.min(promptLength, 2 * capacity / 3));
    }

    /** Retained KV of one layer: Σ_g |G_g|·B_g (each budget capped at the N tokens there are). */
    public long retained(int highHeads, int lowHeads, int tokens) {
        return (long) highHeads * Math.min(high, tokens) + (long) lowHeads * Math.min(low, tokens);
    }

    /** retained / (H·N). */
    public double ratio(int highHeads, int lowHeads, int tokens) {
        return retained(highHeads, lowHeads, tokens) / (double) ((long) (highHeads + lowHeads) * tokens);
    }
}
