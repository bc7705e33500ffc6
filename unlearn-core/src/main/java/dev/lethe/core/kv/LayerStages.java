package dev.lethe.core.kv;

import java.util.ArrayList;
import java.util.List;

/**
 * UNComp's layer stages (reference: {@code uncomp/stage_division.py}): a new stage starts where the
 * per-layer entropy score drops by more than ε from the previous layer, and the stage's hidden-state
 * budget {@code K_s = m + ⌊(T − m)/S⌋·(S − s)}.
 */
public final class LayerStages {

    private LayerStages() {}

    /** Layer indices per stage; ε = 1 in the reference. */
    public static List<List<Integer>> segment(double[] scores, double epsilon) {
        List<List<Integer>> out = new ArrayList<>();
        List<Integer> cur = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (i > 0 && scores[i] - scores[i - 1] < -epsilon) {
                out.add(cur);
                cur = new ArrayList<>();
            }
            cur.add(i);
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }

    /** Hidden-state tokens kept by a layer of stage s, with S = stages − 1. */
    public static int keptTokens(int stage, int stages, int minTokens, int maxTokens) {
        int s = stages - 1;
        return s == 0 ? maxTokens : minTokens + (maxTokens - minTokens) / s * (s - stage);
    }
}
