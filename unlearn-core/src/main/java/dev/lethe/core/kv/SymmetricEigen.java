package dev.lethe.core.kv;

import java.util.Arrays;

/** Eigenvalues of a small symmetric matrix by cyclic Jacobi rotations, in double precision. */
public final class SymmetricEigen {

    private SymmetricEigen() {}

    /** Eigenvalues of symmetric {@code a} (not modified), sorted descending. */
    public static double[] values(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = a[i].clone();
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += m[p][q] * m[p][q];
                }
            }
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (Math.abs(m[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) { // rotate columns p, q
                        double kp = m[k][p];
                        double kq = m[k][q];
                        m[k][p] = c * kp - s * kq;
                        m[k][q] = s * kp + c * kq;
                    }
                    for (int k = 0; k < n; k++) { // rotate rows p, q
                        double pk = m[p][k];
                        double qk = m[q][k];
                        m[p][k] = c * pk - s * qk;
                        m[q][k] = s * pk + c * qk;
                    }
                }
            }
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = m[i][i];
        }
        Arrays.sort(out);
        for (int i = 0; i < n / 2; i++) {
            double tmp = out[i];
            out[i] = out[n - 1 - i];
            out[n - 1 - i] = tmp;
        }
        return out;
    }
}
