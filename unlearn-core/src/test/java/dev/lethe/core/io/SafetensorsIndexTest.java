package dev.lethe.core.io;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sharded checkpoints and {@link TensorSource#open}. */
class SafetensorsIndexTest {
    private static final String SHARD1 = "model-00001-of-00002.safetensors";
    private static final String SHARD2 = "model-00002-of-00002.safetensors";

    @TempDir
    Path dir;

    private Path writeSharded(String weightMapOverride) throws IOException {
        new SafetensorsWriter().metadata("format", "pt")
                .add("embed.weight", new float[] {1, 2, 3, 4}, 2, 2)
                .add("layers.0.w", new float[] {5, 6}, 2)
                .write(dir.resolve(SHARD1));
        new SafetensorsWriter().metadata("format", "pt")
                .add("layers.1.w", new float[] {7, 8}, Dtype.BF16, 2)
                .add("lm_head.weight", new float[] {9}, 1)
                .write(dir.resolve(SHARD2));
        String weightMap = weightMapOverride != null ? weightMapOverride
                : "\"embed.weight\":\"" + SHARD1 + "\",\"layers.0.w\":\"" + SHARD1 + "\","
                        + "\"layers.1.w\":\"" + SHARD2 + "\",\"lm_head.weight\":\"" + SHARD2 + "\"";
        return Files.writeString(dir.resolve(TensorSource.INDEX_FILE),
                "{\"metadata\":{\"total_size\":32},\"weight_map\":{" + weightMap + "}}");
    }

    @Test
    void shardedRoundTrip() throws IOException {
        writeSharded(null);
        try (NDManager m = NDManager.newBaseManager(); TensorSource src = TensorSource.open(dir)) {
            SafetensorsIndex index = assertInstanceOf(SafetensorsIndex.class, src);
            assertEquals(List.of("embed.weight", "layers.0.w", "layers.1.w", "lm_head.weight"), src.names());
            assertEquals(2, index.shards().size(), "each shard opened once");
            assertEquals("32", src.metadata().get("total_size"));
            assertEquals(dir.resolve(SHARD2).toAbsolutePath(), index.shardOf("layers.1.w").toAbsolutePath());
            assertEquals(Dtype.BF16, src.info("layers.1.w").dtype());
            assertArrayEquals(new float[] {1, 2, 3, 4}, src.load("embed.weight", m).toFloatArray());
            assertArrayEquals(new float[] {5, 6}, src.loadMapped("layers.0.w", m).toFloatArray());
            assertArrayEquals(new float[] {7, 8}, src.load("layers.1.w", m).toFloatArray());
            assertArrayEquals(new float[] {9}, src.load("lm_head.weight", m).toFloatArray());
            assertTrue(src.contains("lm_head.weight"));
            assertThrows(NoSuchElementException.class, () -> src.info("missing"));
        }
        try (TensorSource src = TensorSource.open(dir.resolve(TensorSource.INDEX_FILE))) {
            assertEquals(4, src.names().size());
        }
    }

    @Test
    void openPicksSingleFileOverIndexAndReportsEmptyDirectories() throws IOException {
        assertThrows(NoSuchFileException.class, () -> TensorSource.open(dir));
        writeSharded(null);
        new SafetensorsWriter().add("only", new float[] {1}, 1).write(dir.resolve(TensorSource.SINGLE_FILE));
        try (TensorSource src = TensorSource.open(dir)) {
            assertInstanceOf(SafetensorsReader.class, src);
            assertEquals(List.of("only"), src.names());
        }
        try (TensorSource src = TensorSource.open(dir.resolve(SHARD1))) {
            assertEquals(List.of("embed.weight", "layers.0.w"), src.names());
        }
    }

    @Test
    void missingShardOrTensorFailsAtOpen() throws IOException {
        writeSharded("\"embed.weight\":\"model-00003-of-00002.safetensors\"");
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> TensorSource.open(dir));
        assertTrue(e.getMessage().contains("tensor 'embed.weight'") && e.getMessage().contains("is missing"),
                e.getMessage());
        writeSharded("\"lm_head.weight\":\"" + SHARD1 + "\"");
        e = assertThrows(SafetensorsException.class, () -> TensorSource.open(dir));
        assertTrue(e.getMessage().contains("not found in shard"), e.getMessage());
    }

    @Test
    void shardsMustStayInTheCheckpointDirectory() throws IOException {
        for (String escape : List.of("../" + SHARD1, dir.resolve(SHARD1).toAbsolutePath().toString(), "")) {
            writeSharded("\"embed.weight\":\"" + escape + "\"");
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> TensorSource.open(dir));
            assertTrue(e.getMessage().contains("must be a file name in the index's directory"), e.getMessage());
        }
    }

    @Test
    void malformedIndex() throws IOException {
        Files.writeString(dir.resolve(TensorSource.INDEX_FILE), "{\"metadata\":{}}");
        assertTrue(assertThrows(SafetensorsException.class, () -> TensorSource.open(dir)).getMessage()
                .contains("no \"weight_map\""));
        Files.writeString(dir.resolve(TensorSource.INDEX_FILE), "{oops");
        assertTrue(assertThrows(SafetensorsException.class, () -> TensorSource.open(dir)).getMessage()
                .contains("not valid JSON"));
    }
}
