package io.quantserve.engine.tensor;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A pool of float arrays for reading tensors ({@link Tensor#copyFloats}) in a loop without allocating an array per
 * tensor: a replay over many runs would otherwise fill the heap with multi-megabyte garbage arrays, and the
 * garbage-collected heap, and so the process, would grow with them. Arrays grow to the largest length asked for and
 * are kept until the pool is dropped; at most as many as were borrowed at once. Thread-safe. (A thread-local cache
 * would not do: the common fork-join pool's workers drop their thread-locals after each task.)
 */
public final class FloatArrays {
    private final ConcurrentLinkedQueue<float[]> free = new ConcurrentLinkedQueue<>();

    /** An array of at least {@code length} elements, with unspecified contents; return it with {@link #release}. */
    public float[] borrow(int length) {
        float[] a = free.poll();
        return a != null && a.length >= length ? a : new float[length];
    }

    /** Returns an array that {@link #borrow} gave; the caller must not use it afterwards. */
    public void release(float[] array) {
        free.offer(array);
    }

    /**
     * The floats of {@code tensor} in a borrowed array; the caller releases it.
     *
     * @see Tensor#copyFloats
     */
    public float[] read(Tensor tensor) {
        float[] a = borrow(Math.toIntExact(tensor.size()));
        tensor.copyFloats(a);
        return a;
    }
}
