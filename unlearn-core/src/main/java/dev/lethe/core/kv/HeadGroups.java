package dev.lethe.core.kv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Offline head grouping by entropy (reference: {@code head_type_search_*}, {@code determine_head_type}).
 * Ties are broken by the lower head index, so the grouping is deterministic.
 */
public final class HeadGroups {

    private HeadGroups() {}

    /**
     * The high-entropy heads of each layer: per prompt flag the top H/2 heads by entropy, sum the flags over
     * prompts, keep the H/2 heads with the most flags.
     *
     * @param entropy {@code [prompt][layer][head]}
     * @return per layer, the high-entropy head indices, ascending
     */
    public static int[][] highEntropyHeads(double[][][] entropy) {
        int layers = entropy[0].length;
        int heads = entropy[0][0].length;
        int half = heads / 2;
        int[][] out = new int[layers][];
        for (int l = 0; l < layers; l++) {
            int[] count = new int[heads];
            for (double[][] prompt : entropy) {
                for (int h : topByValue(prompt[l], half)) {
                    count[h]++;
                }
            }
            double[] c = Arrays.stream(count).asDoubleStream().toArray();
            out[l] = topByValue(c, half);
            Arrays.sort(out[l]);
        }
        return out;
    }

    /** G equal-size groups of heads sorted by entropy, lowest first (H must divide by G). */
    public static List<int[]> split(double[] entropy, int groups) {
        if (entropy.length % groups != 0) {
            throw new IllegalArgumentException(entropy.length + " heads do not split into " + groups + " groups");
        }
        Integer[] order = IntStream.range(0, entropy.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> entropy[i]).thenComparingInt(i -> i));
        int size = entropy.length / groups;
        List<int[]> out = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            int[] idx = new int[size];
            for (int i = 0; i < size; i++) {
                idx[i] = order[g * size + i];
            }
            Arrays.sort(idx);
            out.add(idx);
        }
        return out;
    }

    /** Indices of the k largest values (ties: lower index first). */
    static int[] topByValue(double[] v, int k) {
        Integer[] order = IntStream.range(0, v.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -v[i]).thenComparingInt(i -> i));
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = order[i];
        }
        return out;
    }
}
