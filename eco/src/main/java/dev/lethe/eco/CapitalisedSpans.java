package dev.lethe.eco;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A crude NER substitute for real TOFU, where no entity list exists: runs of capitalised words (joined by
 * name particles such as "de", "van", "of the") and numbers are mentions. Question words, pronouns and
 * template words are dropped from the start of a run. It over-tags sentence-initial words and misses
 * lower-case entities; a real tagger would do better, but this keeps ECO runnable offline.
 */
public final class CapitalisedSpans implements EntitySpans {

    private static final Pattern RUN = Pattern.compile(
            "\\p{Lu}[\\p{L}\\p{M}'’\\-.]*(?:\\s+(?:(?:of|the|de|da|del|der|di|du|van|von|la|le|al|bin|y)\\s+)*"
                    + "\\p{Lu}[\\p{L}\\p{M}'’\\-.]*)*|\\d[\\d,.]*\\d|\\d");

    private static final Set<String> STOP = Set.copyOf(List.of("What", "Who", "Whom", "Whose", "Which", "When", "Where", "Why",
            "How", "Is", "Are", "Was", "Were", "Do", "Does", "Did", "Can", "Could", "Would", "Should", "Will", "Has",
            "Have", "Had", "In", "On", "At", "His", "Her", "Their", "Its", "This", "That", "These", "Those",
            "Question", "Answer", "I", "As", "If", "Yes", "No", "And", "But", "For", "From", "To", "With", "By", "Of",
            "Some", "Many", "One", "It", "He", "She", "They", "We", "You", "Please", "Given", "Besides", "Apart",
            "Being", "Also", "Considering", "Although", "Tell", "Describe", "Name", "List", "Explain", "Are",
            "Aside", "Beyond", "Like", "Apart", "Much", "Any", "Other", "Despite", "Throughout", "Since", "After",
            "Before", "During", "Did", "Does", "Has", "Author", "Writer", "Book", "Books", "INST"));

    @Override
    public List<int[]> find(String text) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = RUN.matcher(text);
        while (m.find()) {
            int start = m.start();
            int end = trimEnd(text, m.end());
            // Drop leading stop words ("What Elena Osei" → "Elena Osei"); a run of only stop words vanishes.
            while (start < end) {
                int sp = nextSpace(text, start, end);
                String word = text.substring(start, sp).replaceAll("[.’'\\-]+$", "");
                if (!STOP.contains(word)) {
                    break;
                }
                start = sp;
                while (start < end && Character.isWhitespace(text.charAt(start))) {
                    start++;
                }
            }
            if (start < end) {
                spans.add(new int[] {start, end});
            }
        }
        return spans;
    }

    private static int trimEnd(String text, int end) {
        while (end > 0 && ".-'’".indexOf(text.charAt(end - 1)) >= 0) {
            end--;
        }
        return end;
    }

    private static int nextSpace(String text, int from, int end) {
        int i = from;
        while (i < end && !Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
