package dev.lethe.core.kv;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * SnapKV-style token selection for one head at prefill (reference: {@code uncomp_utils.py}): the last
 * {@code window} prompt tokens vote with their attention rows; prefix scores are smoothed by a 1-D max
 * pool (stride 1, same padding) and the best {@code budget − window} prefix keys are kept with the
 * window. Tie-break (spec §2.7 test 4 asks for an explicit rule): the lower key index wins, as a stable
 * descending sort; torch.topk leaves ties unspecified.
 */
public final class SnapKvSelector {

    private SnapKvSelector() {}

    /**
     * @param windowAttention {@code [window][N]} softmax attention of the window queries over all keys
     * @param budget tokens to keep (window included)
     * @param kernel max-pool width (odd; the runner uses 7, 1 = no smoothing)
     * @return kept key indices, ascending
     */
    public static int[] select(double[][] windowAttention, int budget, int kernel) {
        int w = windowAttention.length;
        int n = windowAttention[0].length;
        if (budget >= n) {
            return IntStream.range(0, n).toArray();
        }
        if (budget < w || kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("need budget ≥ window and an odd kernel");
        }
        int prefix = n - w;
        double[] s = new double[prefix];
        for (double[] row : windowAttention) {
            for (int j = 0; j < prefix; j++) {
                s[j] += row[j];
            }
        }
        double[] pooled = new double[prefix];
        int r = kernel / 2;
        for (int j = 0; j < prefix; j++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int k = Math.max(0, j - r); k <= Math.min(prefix - 1, j + r); k++) {
                m = Math.max(m, s[k]);
            }
            pooled[j] = m;
        }
        Integer[] order = IntStream.range(0, prefix).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(j -> -pooled[j]).thenComparingInt(j -> j));
        int keep = budget - w;
        int[] out = new int[keep + w];
        for (int i = 0; i < keep; i++) {
            out[i] = order[i];
        }
        for (int i = 0; i < w; i++) {
            out[keep + i] = prefix + i;
        }
        Arrays.sort(out);
        return out;
    }
}
