package dev.lethe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * An array that grows along one axis without copying what it already holds: a preallocated buffer whose
 * first {@link #length} entries along {@code axis} are filled. An append writes its entries in place
 * ({@link NDArray#set} on a slice, which is PyTorch's {@code index_put_} on a view: a copy of the new
 * entries only, no new array); when the buffer is full its capacity doubles, so appending n entries copies
 * O(n) in all instead of O(n²) for concatenating onto the whole array every time.
 *
 * <p>The buffer belongs to the owner's manager. Readers get views of the filled part, which share the
 * buffer's memory. A view made for a pass ({@link #view(NDManager)}) belongs to the pass's manager, so
 * whatever is derived from it (a transpose, a slice) is freed with the pass instead of piling up in the
 * owner's manager; closing a view never frees the buffer, and a view that outlives the buffer keeps only
 * that old storage alive (PyTorch views hold a reference to their storage).
 *
 * <p>New capacity is allocated uninitialised ({@code torch.empty}): nothing past the length is ever read,
 * and pages never written are never touched, so unused capacity costs address space, not memory.
 */
final class GrowingArray implements AutoCloseable {

    private final NDManager manager;
    private final int axis;
    private final String name;    // for error messages: "layer 3 keys", "key padding", …
    private NDArray buffer;   // null until the first append or adopt
    private long length;
    private NDArray view;     // the owner's view of the filled part, made on demand; dropped when it changes

    /** An empty array in {@code manager} that will grow along {@code axis}; {@code name} appears in errors. */
    GrowingArray(NDManager manager, int axis, String name) {
        this.manager = manager;
        this.axis = axis;
        this.name = name;
    }

    /** Entries filled along the axis. */
    long length() {
        return length;
    }

    /** Entries the buffer holds along the axis before it must grow (0 before the first append). */
    long capacity() {
        return buffer == null ? 0 : buffer.getShape().get(axis);
    }

    /** Shape of the filled part; null before the first append. */
    Shape shape() {
        if (buffer == null) {
            return null;
        }
        long[] dims = buffer.getShape().getShape().clone(); // getShape() hands out its own array
        dims[axis] = length;
        return new Shape(dims);
    }

    /**
     * Writes {@code add} after the filled part (growing the buffer first when it is full); {@code add} must
     * match the buffer on every other axis. The caller keeps {@code add}.
     */
    void append(NDArray add) {
        Shape s = add.getShape();
        if (buffer != null) {
            Shape b = buffer.getShape();
            for (int i = 0; i < b.dimension(); i++) {
                if (i != axis && (s.dimension() != b.dimension() || s.get(i) != b.get(i))) {
                    throw new IllegalArgumentException("KV cache " + name + ": cannot append " + s + " to " + shape()
                            + " along axis " + axis + " (every other axis must match: batch size, heads, head dim)");
                }
            }
        }
        long n = s.get(axis);
        if (n == 0) {
            return;
        }
        reserve(add, length + n);
        buffer.set(slice(length, length + n), add);
        length += n;
        dropView();
    }

    /** Replaces the whole content by {@code contents}, which the array takes over (capacity = its length). */
    void adopt(NDArray contents) {
        contents.attach(manager);
        close();
        buffer = contents;
        length = contents.getShape().get(axis);
    }

    /**
     * Keeps the first {@code head} and the last {@code tail} entries, moving the tail right after the head,
     * in place. Source and destination overlap in general (PyTorch refuses such a copy), so the tail is
     * first copied out into {@code scratch}: O(tail), as much as concatenating head and tail anew.
     */
    void keepEnds(NDManager scratch, long head, long tail) {
        if (head + tail >= length) {
            return;
        }
        if (tail > 0) {
            NDArray last = buffer.get(scratch, slice(length - tail, length)).duplicate();
            buffer.set(slice(head, head + tail), last);
        }
        length = head + tail;
        dropView();
    }

    /**
     * A view of the filled part owned by this array: valid until the next change (append, adopt,
     * keepEnds) closes it. Arrays derived from it land in the owner's manager; a pass uses
     * {@link #view(NDManager)} instead. Null before the first append.
     */
    NDArray view() {
        if (buffer == null) {
            return null;
        }
        if (view == null) {
            view = buffer.get(manager, slice(0, length));
        }
        return view;
    }

    /** A fresh view of the filled part owned by {@code m} (a pass's manager); null before the first append. */
    NDArray view(NDManager m) {
        return buffer == null ? null : buffer.get(m, slice(0, length));
    }

    /** Makes room for {@code needed} entries: at least double the capacity, and copy the filled part over. */
    private void reserve(NDArray like, long needed) {
        long capacity = capacity();
        if (needed <= capacity) {
            return;
        }
        long[] dims = like.getShape().getShape().clone(); // getShape() hands out its own array
        dims[axis] = Math.max(needed, 2 * capacity);
        NDArray grown = manager.create(new Shape(dims), buffer == null ? like.getDataType() : buffer.getDataType());
        if (buffer != null) {
            try (NDManager tmp = manager.newSubManager()) {
                grown.set(slice(0, length), buffer.get(tmp, slice(0, length)));
            }
            dropView();
            buffer.close();
        }
        buffer = grown;
    }

    private NDIndex slice(long from, long to) {
        return new NDIndex().addAllDim(axis).addSliceDim(from, to);
    }

    private void dropView() {
        if (view != null) {
            view.close();
            view = null;
        }
    }

    /** Frees the buffer and the owner's view (views owned by other managers keep their storage alive). */
    @Override
    public void close() {
        dropView();
        if (buffer != null) {
            buffer.close();
            buffer = null;
        }
        length = 0;
    }
}
