package dev.lethe.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A sharded checkpoint: {@code model.safetensors.index.json} ({@code {"metadata": {...}, "weight_map": {tensor:
 * shard file}}}) next to its shard files.
 *
 * <p>Every shard is opened and validated once, up front, so a missing or corrupt shard fails at open rather than
 * halfway through loading a model, and every tensor the index names is checked to be in its shard. Shard names must
 * be plain file names in the index's directory (no paths), so an index cannot point outside its checkpoint.
 */
public final class SafetensorsIndex implements TensorSource {
    /** Streaming parser, as in {@link SafetensorsHeader}: databind's start-up cost is not worth a flat map. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Path indexFile;
    private final Map<String, SafetensorsReader> tensorToShard;
    private final Map<String, SafetensorsReader> shards;
    private final Map<String, String> metadata;
    private final List<String> names;

    private SafetensorsIndex(Path indexFile, Map<String, SafetensorsReader> tensorToShard,
            Map<String, SafetensorsReader> shards, Map<String, String> metadata) {
        this.indexFile = indexFile;
        this.tensorToShard = tensorToShard;
        this.shards = shards;
        this.metadata = metadata;
        this.names = List.copyOf(tensorToShard.keySet());
    }

    /**
     * Opens an index and all its shards.
     *
     * @throws SafetensorsException when the index is malformed, a shard is missing or malformed, or a tensor is
     *     not in the shard the index names
     */
    public static SafetensorsIndex open(Path indexFile) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, String> weightMap = null;
        try (JsonParser p = JSON.createParser(Files.readAllBytes(indexFile))) { // small: names only, no data
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new SafetensorsException(indexFile, null, "index must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                if (key.equals("weight_map") && value == JsonToken.START_OBJECT) {
                    weightMap = new LinkedHashMap<>();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String tensor = p.currentName();
                        if (p.nextToken() != JsonToken.VALUE_STRING) {
                            throw new SafetensorsException(indexFile, tensor,
                                    "weight_map value must be a shard file name, found " + p.currentToken());
                        }
                        weightMap.put(tensor, p.getText());
                    }
                } else if (key.equals("metadata") && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String mk = p.currentName();
                        JsonToken mv = p.nextToken();
                        if (mv.isScalarValue()) {
                            metadata.put(mk, p.getText()); // e.g. total_size, a number
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw new SafetensorsException(indexFile, null, "index is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (weightMap == null) {
            throw new SafetensorsException(indexFile, null, "index has no \"weight_map\" object");
        }
        Path dir = indexFile.toAbsolutePath().getParent();
        Map<String, SafetensorsReader> shards = new LinkedHashMap<>();
        Map<String, SafetensorsReader> tensorToShard = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                String tensor = e.getKey();
                String shardName = e.getValue();
                if (!isPlainFileName(dir, shardName)) {
                    throw new SafetensorsException(indexFile, tensor, "shard \"" + shardName
                            + "\" must be a file name in the index's directory");
                }
                Path shardPath = dir.resolve(shardName);
                SafetensorsReader shard = shards.get(shardName);
                if (shard == null) {
                    if (!Files.isRegularFile(shardPath)) {
                        throw new SafetensorsException(indexFile, tensor, "shard file " + shardPath + " is missing");
                    }
                    shard = SafetensorsReader.open(shardPath);
                    shards.put(shardName, shard);
                }
                if (!shard.contains(tensor)) {
                    throw new SafetensorsException(indexFile, tensor, "not found in shard " + shardPath);
                }
                tensorToShard.put(tensor, shard);
            }
        } catch (IOException | RuntimeException e) {
            for (SafetensorsReader r : shards.values()) {
                try {
                    r.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return new SafetensorsIndex(indexFile, Collections.unmodifiableMap(tensorToShard),
                Collections.unmodifiableMap(shards), Collections.unmodifiableMap(metadata));
    }

    private static boolean isPlainFileName(Path dir, String name) {
        try {
            Path p = dir.getFileSystem().getPath(name);
            return !name.isEmpty() && !p.isAbsolute() && p.getNameCount() == 1 && !name.equals(".")
                    && !name.equals("..") && name.equals(p.getFileName().toString());
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** @return the index file */
    public Path path() {
        return indexFile;
    }

    /** @return the open shards by file name, in first-use order */
    public Map<String, SafetensorsReader> shards() {
        return shards;
    }

    /**
     * @return the shard file holding {@code name}
     * @throws NoSuchElementException when the index has no such tensor
     */
    public Path shardOf(String name) {
        return shard(name).path();
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public boolean contains(String name) {
        return tensorToShard.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        return shard(name).info(name);
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public NDArray load(String name, NDManager manager, LoadOptions options) throws IOException {
        return shard(name).load(name, manager, options);
    }

    private SafetensorsReader shard(String name) {
        SafetensorsReader r = tensorToShard.get(name);
        if (r == null) {
            throw new NoSuchElementException(indexFile + ": no tensor '" + name + "' in weight_map");
        }
        return r;
    }

    /** Closes every shard, even when one fails to close. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (SafetensorsReader r : shards.values()) {
            try {
                r.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "SafetensorsIndex[" + indexFile + ", " + names.size() + " tensors in " + shards.size() + " shards]";
    }
}
