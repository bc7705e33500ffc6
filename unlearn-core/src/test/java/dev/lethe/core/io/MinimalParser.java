package dev.lethe.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A deliberately naive safetensors parser (straight from the format description), sharing no production code. */
final class MinimalParser {
    private MinimalParser() {
    }

    /** @return {@code name.dtype}, {@code name.shape} (long[]), {@code name.f32}/{@code name.i64} and metadata */
    static Map<String, Object> parse(byte[] file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) b.getLong(0);
        JsonNode header = new ObjectMapper().readTree(new String(file, 8, n, StandardCharsets.UTF_8));
        Map<String, Object> out = new HashMap<>();
        header.fields().forEachRemaining(e -> {
            if (e.getKey().equals("__metadata__")) {
                e.getValue().fields().forEachRemaining(m -> out.put("__metadata__." + m.getKey(), m.getValue().asText()));
                return;
            }
            JsonNode t = e.getValue();
            String dtype = t.get("dtype").asText();
            long[] shape = new long[t.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.get("shape").get(i).asLong();
            }
            int begin = 8 + n + t.get("data_offsets").get(0).asInt();
            int end = 8 + n + t.get("data_offsets").get(1).asInt();
            out.put(e.getKey() + ".dtype", dtype);
            out.put(e.getKey() + ".shape", shape);
            if (dtype.equals("F32")) {
                float[] f = new float[(end - begin) / 4];
                for (int i = 0; i < f.length; i++) {
                    f[i] = Float.intBitsToFloat(b.getInt(begin + 4 * i));
                }
                out.put(e.getKey() + ".f32", f);
            } else if (dtype.equals("I64")) {
                long[] l = new long[(end - begin) / 8];
                for (int i = 0; i < l.length; i++) {
                    l[i] = b.getLong(begin + 8 * i);
                }
                out.put(e.getKey() + ".i64", l);
            }
        });
        return out;
    }
}
