package dev.lethe.core.text;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CollatorTest {

    static final int X = QaEncoding.IGNORE;

    @Test
    void rightPadsForScoring() {
        QaEncoding a = new QaEncoding(new int[] {1, 5, 6, 2}, new int[] {X, X, 6, 2}, 2);
        QaEncoding b = new QaEncoding(new int[] {1, 7, 2}, new int[] {X, 7, 2}, 1);
        Batch batch = new Collator(2).rightPad(List.of(a, b));
        assertEquals(2, batch.size());
        assertEquals(4, batch.width());
        assertArrayEquals(new long[] {1, 7, 2, 2}, batch.ids()[1]);
        assertArrayEquals(new long[] {X, 7, 2, X}, batch.labels()[1]);
        // EOS inside a row (pad = EOS) keeps attention 1; only padding gets 0
        assertArrayEquals(new long[] {1, 1, 1, 1}, batch.attentionMask()[0]);
        assertArrayEquals(new long[] {1, 1, 1, 0}, batch.attentionMask()[1]);
        assertArrayEquals(new int[] {4, 3}, batch.lengths());
    }

    @Test
    void leftPadsForGeneration() {
        Batch batch = new Collator(0).leftPad(List.of(new int[] {1, 5, 6}, new int[] {1, 7}));
        assertArrayEquals(new long[] {0, 1, 7}, batch.ids()[1]);
        assertArrayEquals(new long[] {0, 1, 1}, batch.attentionMask()[1]);
        assertArrayEquals(new long[] {0, 0, 1}, batch.positionIds()[1]);
        assertArrayEquals(new long[] {0, 1, 2}, batch.positionIds()[0]);
        assertEquals(true, batch.leftPadded());
    }
}
