package dev.lethe.core.kv;

/**
 * UNComp's truncated matrix entropy of one head's token matrix X ∈ R^{N×d} (reference:
 * {@code uncomp/utils/entropy_utils.py}): centre over tokens, L2-normalise each token row,
 * Σ = ZᵀZ/N, Σ̂ = Σ/tr(Σ) + 1e-10·I, eigenvalues λ₁ ≥ … ≥ λ_d, and
 * {@code H_k = −Σ_{i≤k} λ_i ln λ_i / ln d} — normalised by ln d even when truncated; the untruncated
 * exp(H·ln d) is an effective rank.
 */
public final class MatrixEntropy {

    private MatrixEntropy() {}

    /** Untruncated entropy (k = d). */
    public static double of(double[][] x) {
        return truncated(x, x[0].length);
    }

    /** Entropy over the k largest eigenvalues. */
    public static double truncated(double[][] x, int k) {
        int n = x.length;
        int d = x[0].length;
        if (d < 2 || k < 1) {
            throw new IllegalArgumentException("need d ≥ 2 and k ≥ 1");
        }
        double[] mean = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / n;
            }
        }
        double[][] z = new double[n][d];
        for (int t = 0; t < n; t++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                z[t][j] = x[t][j] - mean[j];
                norm += z[t][j] * z[t][j];
            }
            norm = Math.sqrt(norm);
            if (norm > 0) { // a token equal to the mean contributes nothing (torch normalize clamps to eps)
                for (int j = 0; j < d; j++) {
                    z[t][j] /= norm;
                }
            }
        }
        double[][] cov = new double[d][d];
        double trace = 0;
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                double s = 0;
                for (int t = 0; t < n; t++) {
                    s += z[t][a] * z[t][b];
                }
                cov[a][b] = s / n;
                cov[b][a] = s / n;
            }
            trace += cov[a][a];
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                cov[a][b] = trace > 0 ? cov[a][b] / trace : 0;
            }
            cov[a][a] += 1e-10;
        }
        double[] lambda = SymmetricEigen.values(cov);
        double h = 0;
        for (int i = 0; i < Math.min(k, d); i++) {
            double l = Math.abs(lambda[i]); // singular values of the PSD matrix, as the reference takes
            if (l > 0) {
                h -= l * Math.log(l);
            }
        }
        return h / Math.log(d);
    }

    /** Copies a float matrix stored row-major ({@code n × d}) into doubles. */
    public static double[][] rows(float[] flat, int offset, int n, int d) {
        double[][] out = new double[n][d];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < d; j++) {
                out[t][j] = flat[offset + t * d + j];
            }
        }
        return out;
    }
}
