package dev.lethe.datasets.longctx;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LM-Infinite's passkey metric ({@code data/passkey_retrieval/passkey_retrieval_accuracy.py}): the first run
 * of digits in the output is the answer; an item is correct when it equals the key. No digits counts as wrong
 * (the reference maps it to 0, which no key in [1, 10^7) equals).
 */
public final class PasskeyScorer {

    /** ASCII digits (Python's {@code \\d} also takes other scripts' digits; keys are printed in ASCII). */
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private PasskeyScorer() {}

    /** The first integer in {@code output}, or empty when it has no digits. Arbitrarily long runs are kept. */
    public static Optional<BigInteger> firstInteger(String output) {
        Matcher m = DIGITS.matcher(output);
        return m.find() ? Optional.of(new BigInteger(m.group())) : Optional.empty();
    }

    /** Whether {@code output}'s first integer is the sample's key. */
    public static boolean correct(PasskeySample sample, String output) {
        return firstInteger(output).map(BigInteger.valueOf(sample.passkey())::equals).orElse(false);
    }

    /** Fraction of correct outputs; {@code outputs.get(i)} answers {@code samples.get(i)}. */
    public static double accuracy(List<PasskeySample> samples, List<String> outputs) {
        if (samples.size() != outputs.size() || samples.isEmpty()) {
            throw new IllegalArgumentException("need one output per sample (and at least one), got "
                    + outputs.size() + " outputs for " + samples.size() + " samples");
        }
        int ok = 0;
        for (int i = 0; i < samples.size(); i++) {
            ok += correct(samples.get(i), outputs.get(i)) ? 1 : 0;
        }
        return ok / (double) samples.size();
    }
}
