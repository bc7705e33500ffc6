package dev.lethe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Causal attention with optional key padding; see {@link MaskPolicy#CAUSAL}. */
final class CausalMask implements MaskPolicy {

    @Override
    public NDArray additiveMask(NDManager manager, int queryLen, int pastLen, NDArray keyPadding) {
        int keyLen = pastLen + queryLen;
        if (queryLen == 1 && keyPadding == null) {
            return null; // the newest token sees every cached key: nothing to mask
        }
        float[] m = new float[queryLen * keyLen];
        for (int i = 0; i < queryLen; i++) {
            int q = pastLen + i;
            for (int j = q + 1; j < keyLen; j++) {
                m[i * keyLen + j] = BLOCKED;
            }
        }
        NDArray mask = manager.create(m, new Shape(1, 1, queryLen, keyLen));
        if (keyPadding == null) {
            return mask;
        }
        long b = keyPadding.getShape().get(0);
        // (padding - 1) * 1e9 is 0 for real tokens and BLOCKED for pads
        NDArray pad = keyPadding.toType(DataType.FLOAT32, false).sub(1f).mul(-BLOCKED).reshape(b, 1, 1, keyLen);
        pad.attach(manager);
        // Two blocked reasons add to −2e9, still finite; softmax gives those keys zero weight either way.
        return mask.add(pad);
    }
}
