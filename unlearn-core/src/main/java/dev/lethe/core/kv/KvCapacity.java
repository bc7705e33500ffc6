package dev.lethe.core.kv;

/**
 * The nominal per-head capacity C of a prompt-selecting KV policy ({@code max_capacity_prompts} in the
 * SnapKV/UNComp reference): a fixed token count, or a fraction of each row's prompt length ("a 25 % KV
 * budget").
 *
 * @param tokens fixed C (> 0), or 0 to use {@code fraction}
 * @param fraction C = ⌊fraction·N⌋ for an N-token prompt, used when {@code tokens} is 0
 */
public record KvCapacity(int tokens, double fraction) {

    public KvCapacity {
        if (tokens < 0 || (tokens == 0 && !(fraction > 0 && fraction <= 1))) {
            throw new IllegalArgumentException("capacity needs tokens > 0 or a fraction in (0, 1], got " + tokens
                    + " tokens, fraction " + fraction);
        }
    }

    public static KvCapacity ofTokens(int tokens) {
        return new KvCapacity(tokens, 0);
    }

    public static KvCapacity ofFraction(double fraction) {
        return new KvCapacity(0, fraction);
    }

    /** C for a prompt of {@code promptLength} tokens. */
    public int of(int promptLength) {
        return tokens > 0 ? tokens : (int) Math.floor(fraction * promptLength);
    }

    @Override
    public String toString() {
        return tokens > 0 ? tokens + " tokens" : fraction + " of the prompt";
    }
}
