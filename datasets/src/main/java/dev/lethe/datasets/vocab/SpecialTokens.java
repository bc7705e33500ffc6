package dev.lethe.datasets.vocab;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The special tokens of a built tokenizer, given ids 0.. in this order: pad, bos, eos, unk, then {@code extra}
 * (e.g. Untie-the-Knots markers). All are added tokens with {@code special: true}, so they are matched in raw
 * text before pre-tokenisation and dropped by {@code decode(…, skipSpecialTokens=true)}.
 */
public record SpecialTokens(String pad, String bos, String eos, String unk, List<String> extra) {

    /** Untie-the-Knots markers (long-context §3): doc id open/close, summary open/separator/close, 8 knots. */
    public static final List<String> UTK = List.of("<D>", "</D>", "<S>", "<s>", "</S>",
            "<K0>", "<K1>", "<K2>", "<K3>", "<K4>", "<K5>", "<K6>", "<K7>");

    public SpecialTokens {
        extra = List.copyOf(extra);
        if (new LinkedHashSet<>(all(pad, bos, eos, unk, extra)).size() != 4 + extra.size()) {
            throw new IllegalArgumentException("special tokens must be distinct");
        }
    }

    /** {@code <pad> <bos> <eos> <unk>} followed by the UtK markers. */
    public static SpecialTokens defaults() {
        return new SpecialTokens("<pad>", "<bos>", "<eos>", "<unk>", UTK);
    }

    /** All specials in id order. */
    public List<String> all() {
        return all(pad, bos, eos, unk, extra);
    }

    private static List<String> all(String pad, String bos, String eos, String unk, List<String> extra) {
        List<String> out = new ArrayList<>(List.of(pad, bos, eos, unk));
        out.addAll(extra);
        return out;
    }
}
