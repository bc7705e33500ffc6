package dev.lethe.scripts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lethe bench lambda} end to end at toy size: the report's shape and its exact invariants. */
class LambdaBenchTest {

    @Test
    void reportsPerplexityPerLengthAndFlatLambdaCache() throws Exception {
        CliTest.Run r = CliTest.lethe("bench", "lambda", "--length", "16", "--global", "4", "--train-steps", "3",
                "--ppl-factors", "1,2", "--eval-windows", "2", "--gen-factors", "1,3", "--new-tokens", "5");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out().strip());
        assertEquals("lambda", j.get("bench").asText());
        assertEquals(2, j.get("layers").asInt(), "tiny default shape");
        JsonNode ppl = j.get("perplexity");
        assertEquals(2, ppl.size());
        // within L every key is local: Λ is exactly causal attention
        assertEquals(ppl.get(0).get("vanilla_ppl").asDouble(), ppl.get(0).get("lambda_ppl").asDouble());
        assertEquals(ppl.get(0).get("vanilla_ppl").asDouble(), ppl.get(0).get("in_length_ppl").asDouble());
        assertEquals(32, ppl.get(1).get("tokens").asInt());
        assertTrue(ppl.get(1).get("lambda_ppl").asDouble() > 1);
        assertTrue(ppl.get(1).get("in_length_ppl").asDouble() > 1);
        JsonNode gen = j.get("generation");
        assertEquals(4, gen.size());
        for (int i = 0; i < 4; i++) {
            JsonNode g = gen.get(i);
            int prompt = g.get("prompt_tokens").asInt();
            assertEquals(i < 2 ? 16 : 48, prompt);
            // after the last step: full keeps prompt + new − 1 keys, sink + window keeps n_global + n_local − 1
            assertEquals(i % 2 == 0 ? prompt + 4 : 4 + 16 - 1, g.get("kv_cache_keys").asInt(), g.toString());
        }
    }
}
