package dev.lethe.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PorterStemmerTest {

    private final PorterStemmer nltk = new PorterStemmer();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // Porter's paper examples that NLTK_EXTENSIONS keeps
            "caresses, caress", "ponies, poni", "caress, caress", "cats, cat",
            "feed, feed", "agreed, agre", "plastered, plaster", "bled, bled", "motoring, motor", "sing, sing",
            "conflated, conflat", "hopping, hop", "falling, fall", "hissing, hiss", "filing, file",
            "relational, relat", "conditional, condit", "generously, gener", "hopeful, hope",
            "goodness, good", "adjustment, adjust", "controll, control", "roll, roll", "happy, happi",
            // NLTK_EXTENSIONS departures from the original algorithm
            "ties, tie", "dying, die", "lying, lie", "skies, sky", "news, news", "enjoy, enjoy",
            "cried, cri", "died, die", "analogi, analog", "typically, typic"
    })
    void nltkExtensionsMode(String word, String stem) {
        assertEquals(stem, nltk.stem(word));
    }

    @Test
    void originalAlgorithmDiffersWhereNltkExtends() {
        PorterStemmer original = new PorterStemmer(PorterStemmer.Mode.ORIGINAL_ALGORITHM);
        // Original: IES -> I and (*v*) Y -> I, no irregular-form pool.
        assertEquals("ti", original.stem("ties"));
        assertEquals("dy", original.stem("dying"));
        assertEquals("enjoi", original.stem("enjoy"));
        assertEquals("tie", nltk.stem("ties"));
    }

    /** 12,410 words (every >3-char rouge token of the TOFU data and reference logs) stemmed by NLTK 3.8. */
    @Test
    void matchesNltkOnTofuVocabulary() throws IOException {
        List<String> mismatches = new ArrayList<>();
        int n = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("nltk38_porter_stems.tsv"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] parts = line.split("\t");
                n++;
                String got = nltk.stem(parts[0]);
                if (!got.equals(parts[1])) {
                    mismatches.add(parts[0] + ": nltk=" + parts[1] + " java=" + got);
                }
            }
        }
        assertTrue(n > 12_000, "fixture too small: " + n);
        assertEquals(List.of(), mismatches.subList(0, Math.min(20, mismatches.size())), mismatches.size() + " mismatches");
    }
}
