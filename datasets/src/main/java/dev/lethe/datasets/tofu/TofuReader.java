package dev.lethe.datasets.tofu;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and validates one TOFU split file. JSON Lines (the canonical format) and a single JSON array are both
 * accepted; the format is chosen by the first non-blank character. Blank lines are not rows and are skipped.
 */
public final class TofuReader {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private TofuReader() {}

    /** A parsed JSON row and the 1-based line where it starts. */
    record Row(int line, JsonNode node) {}

    /** Reads {@code file} as split {@code split} (the file name need not match). */
    public static List<? extends TofuRow> read(Path file, String split) throws IOException {
        SplitKind kind;
        try {
            kind = TofuSplits.kind(split);
        } catch (IllegalArgumentException e) {
            throw new TofuFormatException(file, 0, e.getMessage());
        }
        switch (kind) {
            case QA: return readQa(file);
            case PERTURBED: return readPerturbed(file, TofuSplits.requiresParaphrase(split));
            case MULTIPLE_CHOICE: return readMultipleChoice(file);
            default: throw new TofuFormatException(file, 0, "split '" + split + "' holds strings; use readIdk");
        }
    }

    /** Rows with {@code question}, {@code answer}. */
    public static List<QaItem> readQa(Path file) throws IOException {
        List<QaItem> out = new ArrayList<>();
        for (Row r : rows(file)) {
            out.add(new QaItem(out.size(), text(file, r, "question"), text(file, r, "answer")));
        }
        return out;
    }

    /** Rows of a {@code *_perturbed} split; paraphrases are required when {@code paraphraseRequired}. */
    public static List<PerturbedQaItem> readPerturbed(Path file, boolean paraphraseRequired) throws IOException {
        List<PerturbedQaItem> out = new ArrayList<>();
        for (Row r : rows(file)) {
            String pq = paraphraseRequired || r.node().has("paraphrased_question")
                    ? text(file, r, "paraphrased_question") : null;
            String pa = paraphraseRequired || r.node().has("paraphrased_answer")
                    ? text(file, r, "paraphrased_answer") : null;
            out.add(new PerturbedQaItem(out.size(), text(file, r, "question"), text(file, r, "answer"), pq, pa,
                    textList(file, r, "perturbed_answer")));
        }
        return out;
    }

    /** Rows with {@code question}, {@code option1..option4}, {@code answer}; the answer must be an option. */
    public static List<MultipleChoiceItem> readMultipleChoice(Path file) throws IOException {
        List<MultipleChoiceItem> out = new ArrayList<>();
        for (Row r : rows(file)) {
            List<String> options = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                options.add(text(file, r, "option" + i));
            }
            String answer = text(file, r, "answer");
            if (!options.contains(answer)) {
                throw new TofuFormatException(file, r.line(), "answer '" + answer + "' is not one of the options");
            }
            out.add(new MultipleChoiceItem(out.size(), text(file, r, "question"), options, answer));
        }
        return out;
    }

    /**
     * The refusal list: one plain-text string per line (TOFU's {@code idontknow.jsonl} is not JSON-quoted);
     * a line that is a JSON string literal is unquoted. Blank lines are skipped.
     */
    public static List<String> readIdk(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String s = lines.get(i).strip();
            if (s.isEmpty()) {
                continue;
            }
            if (s.startsWith("\"")) {
                try {
                    JsonNode n = MAPPER.readTree(s);
                    if (!n.isTextual()) {
                        throw new TofuFormatException(file, i + 1, "expected a string");
                    }
                    s = n.asText().strip();
                } catch (JsonProcessingException e) {
                    throw new TofuFormatException(file, i + 1, "malformed JSON string: " + e.getOriginalMessage(), e);
                }
                if (s.isEmpty()) {
                    throw new TofuFormatException(file, i + 1, "empty refusal string");
                }
            }
            out.add(s);
        }
        if (out.isEmpty()) {
            throw new TofuFormatException(file, 0, "no refusal strings");
        }
        return out;
    }

    /** The JSON objects of a file with their line numbers. */
    static List<Row> rows(Path file) throws IOException {
        String content = Files.readString(file, StandardCharsets.UTF_8);
        String trimmed = content.stripLeading();
        if (trimmed.startsWith("\uFEFF")) {
            trimmed = trimmed.substring(1).stripLeading();
        }
        return trimmed.startsWith("[") ? arrayRows(file, content) : lineRows(file, content);
    }

    private static List<Row> lineRows(Path file, String content) {
        List<Row> out = new ArrayList<>();
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                throw new TofuFormatException(file, i + 1, "malformed JSON: " + e.getOriginalMessage(), e);
            }
            if (!node.isObject()) {
                throw new TofuFormatException(file, i + 1, "expected a JSON object, got " + node.getNodeType());
            }
            out.add(new Row(i + 1, node));
        }
        return out;
    }

    private static List<Row> arrayRows(Path file, String content) throws IOException {
        List<Row> out = new ArrayList<>();
        try (JsonParser p = MAPPER.createParser(content)) {
            p.nextToken(); // START_ARRAY
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new TofuFormatException(file, p.currentLocation().getLineNr(), "unterminated JSON array");
                }
                int line = lineOf(content, p.currentTokenLocation());
                if (t != JsonToken.START_OBJECT) {
                    throw new TofuFormatException(file, line, "expected a JSON object, got " + t);
                }
                // one element at a time: trailing tokens are the next elements here
                out.add(new Row(line, MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                        .readTree(p)));
            }
            if (p.nextToken() != null) {
                throw new TofuFormatException(file, p.currentTokenLocation().getLineNr(),
                        "content after the JSON array");
            }
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            throw new TofuFormatException(file, loc == null ? 0 : loc.getLineNr(),
                    "malformed JSON: " + e.getOriginalMessage(), e);
        }
        return out;
    }

    /** Line from the character offset: Jackson's own line counter lags after a nested readTree. */
    private static int lineOf(String content, JsonLocation loc) {
        long off = loc.getCharOffset();
        if (off < 0) {
            return loc.getLineNr();
        }
        int line = 1;
        for (int i = 0; i < off && i < content.length(); i++) {
            if (content.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String text(Path file, Row r, String field) {
        JsonNode v = r.node().get(field);
        if (v == null) {
            throw new TofuFormatException(file, r.line(), "missing field '" + field + "'");
        }
        if (!v.isTextual()) {
            throw new TofuFormatException(file, r.line(),
                    "field '" + field + "' must be a string, got " + v.getNodeType().name().toLowerCase());
        }
        if (v.asText().isBlank()) {
            throw new TofuFormatException(file, r.line(), "field '" + field + "' is empty");
        }
        return v.asText();
    }

    private static List<String> textList(Path file, Row r, String field) {
        JsonNode v = r.node().get(field);
        if (v == null) {
            throw new TofuFormatException(file, r.line(), "missing field '" + field + "'");
        }
        if (!v.isArray()) {
            throw new TofuFormatException(file, r.line(),
                    "field '" + field + "' must be a list of strings, got " + v.getNodeType().name().toLowerCase());
        }
        if (v.isEmpty()) {
            throw new TofuFormatException(file, r.line(), "field '" + field + "' is an empty list");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isTextual() || e.asText().isBlank()) {
                throw new TofuFormatException(file, r.line(),
                        "field '" + field + "'[" + i + "] must be a non-empty string");
            }
            out.add(e.asText());
        }
        return out;
    }
}
