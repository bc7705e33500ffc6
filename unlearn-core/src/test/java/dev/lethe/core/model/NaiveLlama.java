package dev.lethe.core.model;

import java.util.Map;

/**
 * An independent, loop-by-loop Llama forward in double precision, written from the HF modeling code's
 * definitions (not from Lethe's): the reference the DJL decoder is tested against.
 */
final class NaiveLlama {
    private final DecoderConfig c;
    private final Map<String, float[]> w;

    /** LM-Infinite parameters {nGlobal, nLocal, d}, or null for plain causal attention. */
    private final int[] lambda;

    NaiveLlama(DecoderConfig c, Map<String, float[]> weights) {
        this(c, weights, null);
    }

    /**
     * With {@code lambda = {nGlobal, nLocal, d}}: LM-Infinite in the reference's own formulation (not
     * Lethe's): local keys at true RoPE distance; far starting keys scored as a query rotated to
     * {@code min(d, i)} against the raw, un-rotated key; everything else masked.
     */
    NaiveLlama(DecoderConfig c, Map<String, float[]> weights, int[] lambda) {
        this(c, weights, lambda, null);
    }

    /** LM-Infinite's top-k middle tokens {k, fromLayer, toLayer (exclusive), t, firstRow}, or null. */
    private final int[] topK;

    /**
     * Λ plus the reference's top-k middle tokens ({@code models/llama.py}, {@code detailed_lambda_attention}):
     * in layers fromLayer ≤ l < toLayer, query rows i ≥ firstRow (the reference: only the last row of a pass)
     * score every middle key j ∈ [nGlobal, i − nLocal] as ⟨R(t)q_raw, k_raw⟩/√hd, keep the k best per head
     * (ties: earlier key) at that score, and mask the rest.
     */
    NaiveLlama(DecoderConfig c, Map<String, float[]> weights, int[] lambda, int[] topK) {
        this.c = c;
        this.w = weights;
        this.lambda = lambda;
        this.topK = topK;
    }

    /** Logits [T][V] for one unpadded sequence. */
    double[][] logits(int[] ids) {
        int t = ids.length;
        int d = c.hiddenSize();
        double[][] h = new double[t][d];
        float[] emb = w.get("model.embed_tokens.weight");
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < d; j++) {
                h[i][j] = emb[ids[i] * d + j];
            }
        }
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            String p = "model.layers." + l + ".";
            double[][] x = rms(h, w.get(p + "input_layernorm.weight"));
            double[][] a = attention(x, p, l);
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < d; j++) {
                    h[i][j] += a[i][j];
                }
            }
            x = rms(h, w.get(p + "post_attention_layernorm.weight"));
            double[][] g = linear(x, w.get(p + "mlp.gate_proj.weight"), null, c.intermediateSize());
            double[][] u = linear(x, w.get(p + "mlp.up_proj.weight"), null, c.intermediateSize());
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < c.intermediateSize(); j++) {
                    double s = g[i][j] / (1 + Math.exp(-g[i][j]));
                    g[i][j] = s * u[i][j];
                }
            }
            double[][] m = linear(g, w.get(p + "mlp.down_proj.weight"), null, d);
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < d; j++) {
                    h[i][j] += m[i][j];
                }
            }
        }
        double[][] x = rms(h, w.get("model.norm.weight"));
        float[] head = c.tieWordEmbeddings() ? emb : w.get("lm_head.weight");
        return linear(x, head, null, c.vocabSize());
    }

    private double[][] attention(double[][] x, String p, int layer) {
        int t = x.length;
        int hd = c.headDim();
        int nh = c.numAttentionHeads();
        int nkv = c.numKeyValueHeads();
        double[][] q = linear(x, w.get(p + "self_attn.q_proj.weight"), w.get(p + "self_attn.q_proj.bias"), nh * hd);
        double[][] k = linear(x, w.get(p + "self_attn.k_proj.weight"), w.get(p + "self_attn.k_proj.bias"), nkv * hd);
        double[][] v = linear(x, w.get(p + "self_attn.v_proj.weight"), w.get(p + "self_attn.v_proj.bias"), nkv * hd);
        double[][] qRaw = copy(q);
        double[][] kRaw = copy(k);
        rope(q, nh);
        rope(k, nkv);
        double[][] out = new double[t][nh * hd];
        for (int head = 0; head < nh; head++) {
            int kvh = head / (nh / nkv); // repeat_kv: query head h uses kv head h // groups
            for (int i = 0; i < t; i++) {
                double[] s = new double[i + 1];
                double max = Double.NEGATIVE_INFINITY;
                double[] stationary = lambda == null ? null : rotated(qRaw[i], head, Math.min(lambda[2], i));
                for (int j = 0; j <= i; j++) {
                    double dot = 0;
                    boolean local = lambda == null || i - j < lambda[1];
                    boolean far = !local && j < lambda[0];
                    if (!local && !far) {
                        s[j] = Double.NEGATIVE_INFINITY;
                        continue;
                    }
                    for (int e = 0; e < hd; e++) {
                        dot += local ? q[i][head * hd + e] * k[j][kvh * hd + e]
                                : stationary[e] * kRaw[j][kvh * hd + e];
                    }
                    s[j] = dot / Math.sqrt(hd);
                    max = Math.max(max, s[j]);
                }
                if (topK != null && i >= topK[4] && layer >= topK[1] && layer < topK[2]) {
                    double[] atT = rotated(qRaw[i], head, topK[3]);
                    java.util.List<double[]> mid = new java.util.ArrayList<>(); // {score, j}
                    for (int j = lambda[0]; j <= i - lambda[1]; j++) {
                        double dot = 0;
                        for (int e = 0; e < hd; e++) {
                            dot += atT[e] * kRaw[j][kvh * hd + e];
                        }
                        mid.add(new double[] {dot / Math.sqrt(hd), j});
                    }
                    mid.sort((u, v2) -> u[0] != v2[0] ? Double.compare(v2[0], u[0]) : Double.compare(u[1], v2[1]));
                    for (int n = 0; n < Math.min(topK[0], mid.size()); n++) {
                        int j = (int) mid.get(n)[1];
                        s[j] = mid.get(n)[0];
                        max = Math.max(max, s[j]);
                    }
                }
                double z = 0;
                for (int j = 0; j <= i; j++) {
                    s[j] = Math.exp(s[j] - max);
                    z += s[j];
                }
                for (int j = 0; j <= i; j++) {
                    for (int e = 0; e < hd; e++) {
                        out[i][head * hd + e] += s[j] / z * v[j][kvh * hd + e];
                    }
                }
            }
        }
        return linear(out, w.get(p + "self_attn.o_proj.weight"), null, c.hiddenSize());
    }

    private static double[][] copy(double[][] x) {
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i].clone();
        }
        return y;
    }

    /** One head of {@code row} rotated to position {@code pos}. */
    private double[] rotated(double[] row, int h, int pos) {
        int hd = c.headDim();
        int half = hd / 2;
        double[] r = new double[hd];
        for (int e = 0; e < hd; e++) {
            int i = e % half;
            double freq = pos / Math.pow(c.ropeTheta(), 2.0 * i / hd);
            double rot = e < half ? -row[h * hd + e + half] : row[h * hd + e - half];
            r[e] = row[h * hd + e] * Math.cos(freq) + rot * Math.sin(freq);
        }
        return r;
    }

    /** HF apply_rotary_pos_emb with rotate_half, positions 0..T-1. */
    private void rope(double[][] x, int heads) {
        int hd = c.headDim();
        int half = hd / 2;
        for (int pos = 0; pos < x.length; pos++) {
            for (int h = 0; h < heads; h++) {
                double[] r = new double[hd];
                for (int e = 0; e < hd; e++) {
                    int i = e % half;
                    double freq = pos / Math.pow(c.ropeTheta(), 2.0 * i / hd);
                    double rotated = e < half ? -x[pos][h * hd + e + half] : x[pos][h * hd + e - half];
                    r[e] = x[pos][h * hd + e] * Math.cos(freq) + rotated * Math.sin(freq);
                }
                System.arraycopy(r, 0, x[pos], h * hd, hd);
            }
        }
    }

    private double[][] rms(double[][] x, float[] g) {
        double[][] y = new double[x.length][x[0].length];
        for (int i = 0; i < x.length; i++) {
            double ms = 0;
            for (double v : x[i]) {
                ms += v * v;
            }
            double inv = 1 / Math.sqrt(ms / x[i].length + c.rmsNormEps());
            for (int j = 0; j < x[i].length; j++) {
                y[i][j] = x[i][j] * inv * g[j];
            }
        }
        return y;
    }

    private static double[][] linear(double[][] x, float[] wt, float[] b, int out) {
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                double s = b == null ? 0 : b[o];
                for (int j = 0; j < in; j++) {
                    s += x[i][j] * wt[o * in + j];
                }
                y[i][o] = s;
            }
        }
        return y;
    }
}
