package io.quantserve.engine.accuracy;

import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The float model's outputs over the evaluation set, kept batch by batch in one scratch file so that every candidate
 * is compared with them without running the float model again and without holding them in memory. Each batch is
 * written as its tensor count, then per tensor name, ONNX element type, shape, byte count and raw little-endian
 * bytes; it is read back in the same order.
 */
final class FloatOutputs {
    private final Path file;

    FloatOutputs(Path file) {
        this.file = file;
    }

    Writer writer() {
        try {
            return new Writer(new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)));
        } catch (IOException e) {
            throw new UncheckedIOException("creating " + file, e);
        }
    }

    Reader reader() {
        try {
            return new Reader(new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16)));
        } catch (IOException e) {
            throw new UncheckedIOException("opening " + file, e);
        }
    }

    /** Appends batches. */
    final class Writer implements AutoCloseable {
        private final DataOutputStream out;

        private Writer(DataOutputStream out) {
            this.out = out;
        }

        void add(Map<String, Tensor> batch) {
            try {
                out.writeInt(batch.size());
                for (Map.Entry<String, Tensor> e : batch.entrySet()) {
                    Tensor t = e.getValue();
                    out.writeUTF(e.getKey());
                    out.writeInt(t.type().onnxCode());
                    long[] shape = t.shape();
                    out.writeInt(shape.length);
                    for (long d : shape) out.writeLong(d);
                    byte[] bytes = t.bytes();
                    out.writeInt(bytes.length);
                    out.write(bytes);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("writing the float outputs to " + file, e);
            }
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("writing the float outputs to " + file, e);
            }
        }
    }

    /** Reads the batches back in the order written. */
    final class Reader implements AutoCloseable {
        private final DataInputStream in;

        private Reader(DataInputStream in) {
            this.in = in;
        }

        Map<String, Tensor> next() {
            try {
                int count = in.readInt();
                Map<String, Tensor> batch = new LinkedHashMap<>();
                for (int i = 0; i < count; i++) {
                    String name = in.readUTF();
                    int code = in.readInt();
                    DataType type = DataType.fromOnnx(code)
                            .orElseThrow(() -> new IllegalStateException("element type " + code + " in " + file));
                    long[] shape = new long[in.readInt()];
                    for (int d = 0; d < shape.length; d++) shape[d] = in.readLong();
                    byte[] bytes = new byte[in.readInt()];
                    in.readFully(bytes);
                    batch.put(
                            name,
                            Tensor.ofBytes(type, shape, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)));
                }
                return batch;
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "reading the float outputs from " + file + " (fewer batches than the candidate ran?)", e);
            }
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException("closing " + file, e);
            }
        }
    }
}
