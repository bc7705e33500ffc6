package dev.lethe.eco;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Entity mentions from a known list (a synthetic world's {@code entities.json}): every case-insensitive occurrence
 * of an entity text that starts and ends at a word boundary. Like an NER tagger it tags every entity it knows,
 * not only the forget authors'.
 */
public final class EntityList implements EntitySpans {

    private final List<String> entities;

    public EntityList(List<String> entities) {
        Set<String> set = new LinkedHashSet<>();
        for (String e : entities) {
            if (e != null && !e.isBlank()) {
                set.add(e.strip().toLowerCase(Locale.ROOT));
            }
        }
        List<String> sorted = new ArrayList<>(set);
        sorted.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        this.entities = List.copyOf(sorted);
    }

    /** Every entity text of a world's {@code entities.json} (authors of full and holdout). */
    public static EntityList load(Path entitiesJson) throws IOException {
        JsonNode root = new ObjectMapper().readTree(entitiesJson.toFile());
        List<String> out = new ArrayList<>();
        for (JsonNode author : root) {
            for (JsonNode e : author.path("entities")) {
                out.add(e.path("text").asText());
            }
        }
        if (out.isEmpty()) {
            throw new IOException(entitiesJson + " lists no entities");
        }
        return new EntityList(out);
    }

    public List<String> entities() {
        return entities;
    }

    @Override
    public List<int[]> find(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        List<int[]> spans = new ArrayList<>();
        for (String e : entities) {
            for (int i = lower.indexOf(e); i >= 0; i = lower.indexOf(e, i + 1)) {
                int end = i + e.length();
                if ((i == 0 || !Character.isLetterOrDigit(lower.charAt(i - 1)))
                        && (end == lower.length() || !Character.isLetterOrDigit(lower.charAt(end)))) {
                    spans.add(new int[] {i, end});
                }
            }
        }
        return spans;
    }
}
