package io.quantserve.engine.calibration;

import io.quantserve.engine.calibration.StatisticsProvenance.WeightSetting;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload of a {@link StatisticsFile} (version 1), in order; varints are unsigned LEB128, strings a varint byte
 * length and UTF-8:
 *
 * <pre>
 * grid        varint mantissa bits, u32 zero-limit float bits (must equal {@link StreamingHistogram}'s)
 * provenance  string model sha256, string data sha256, varint batch size, batch_num, batches run,
 *             varint layer count, per layer: string name, u8 flags (1 = enabled, 2 = channel_wise)
 * tensors     varint count, per tensor: string name, varint reader count, the reader names,
 *             varint value count, u32 min bits, u32 max bits, varint block count, per block (ascending index):
 *             varint index, varint non-zero counters, per counter (ascending position): varint gap to the
 *             previous position + 1, varint count
 * </pre>
 *
 * Decoding checks every field against the histogram's invariants (indices in range and ascending, counts positive
 * and summing to the value count, min/max finite, in order and inside the non-empty bins) and names the tensor in
 * the error.
 */
final class StatisticsCodec {
    private static final int ENABLED = 1;
    private static final int CHANNEL_WISE = 2;

    private StatisticsCodec() {}

    static void encode(CalibrationStatistics statistics, ByteSink out) {
        out.varint(StreamingHistogram.MANTISSA_BITS);
        out.u32(Float.floatToRawIntBits(StreamingHistogram.ZERO_LIMIT));
        StatisticsProvenance p = statistics.provenance();
        out.string(p.modelSha256());
        out.string(p.dataSha256());
        out.varint(p.batchSize());
        out.varint(p.batchNum());
        out.varint(p.batches());
        out.varint(p.weights().size());
        for (WeightSetting w : p.weights()) {
            out.string(w.layer());
            out.u8((w.enabled() ? ENABLED : 0) | (w.channelWise() ? CHANNEL_WISE : 0));
        }
        out.varint(statistics.tensors().size());
        for (TensorStatistics t : statistics.tensors()) {
            out.string(t.tensor());
            out.varint(t.layers().size());
            for (String layer : t.layers()) out.string(layer);
            StreamingHistogram h = t.histogram();
            out.varint(h.count());
            out.u32(Float.floatToRawIntBits(h.min()));
            out.u32(Float.floatToRawIntBits(h.max()));
            // The allocated blocks, counted without block(b), which sums pending counters into a copy.
            out.varint(Math.toIntExact(h.retainedBins() / StreamingHistogram.BLOCK_SIZE));
            for (int b = 0; b < StreamingHistogram.BLOCK_COUNT; b++) {
                long[] block = h.block(b);
                if (block == null) continue;
                out.varint(b);
                int nonZero = 0;
                for (long c : block) if (c != 0) nonZero++;
                out.varint(nonZero);
                int previous = -1;
                for (int i = 0; i < block.length; i++) {
                    if (block[i] == 0) continue;
                    out.varint(i - previous - 1);
                    out.varint(block[i]);
                    previous = i;
                }
            }
        }
    }

    static CalibrationStatistics decode(ByteSource in) {
        in.context("histogram grid");
        int mantissaBits = in.intIn("mantissa bits", 0, 23);
        int zeroLimit = in.u32();
        if (mantissaBits != StreamingHistogram.MANTISSA_BITS
                || zeroLimit != Float.floatToRawIntBits(StreamingHistogram.ZERO_LIMIT)) {
            throw in.malformed("histogram grid of " + mantissaBits + " mantissa bits and zero limit "
                    + Float.intBitsToFloat(zeroLimit) + "; this engine uses " + StreamingHistogram.MANTISSA_BITS
                    + " and " + StreamingHistogram.ZERO_LIMIT);
        }
        in.context("provenance");
        String model = in.string("model sha256");
        String data = in.string("data sha256");
        int batchSize = in.intIn("batch size", 1, Integer.MAX_VALUE);
        int batchNum = in.intIn("batch_num", 1, Integer.MAX_VALUE);
        int batches = in.intIn("batches run", 1, batchNum);
        int layers = in.intIn("layer count", 0, in.remaining());
        List<WeightSetting> weights = new ArrayList<>(layers);
        for (int i = 0; i < layers; i++) {
            String layer = in.string("layer name");
            in.context("weight setting of layer '" + layer + "'");
            int flags = in.u8();
            if ((flags & ~(ENABLED | CHANNEL_WISE)) != 0 || flags == CHANNEL_WISE) {
                throw in.malformed("invalid flags " + flags);
            }
            weights.add(new WeightSetting(layer, (flags & ENABLED) != 0, (flags & CHANNEL_WISE) != 0));
        }
        StatisticsProvenance provenance;
        try {
            provenance = new StatisticsProvenance(model, data, batchSize, batchNum, batches, weights);
        } catch (IllegalArgumentException e) {
            throw in.malformed(e.getMessage());
        }
        in.context("tensor list");
        int count = in.intIn("tensor count", 0, in.remaining());
        List<TensorStatistics> tensors = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            in.context("tensor #" + i);
            String name = in.string("tensor name");
            in.context("tensor '" + name + "'");
            int readers = in.intIn("reader count", 1, in.remaining());
            List<String> names = new ArrayList<>(readers);
            for (int r = 0; r < readers; r++) names.add(in.string("reader name"));
            StreamingHistogram histogram = histogram(in);
            try {
                tensors.add(new TensorStatistics(name, names, histogram));
            } catch (IllegalArgumentException e) {
                throw in.malformed(e.getMessage());
            }
        }
        try {
            return new CalibrationStatistics(provenance, tensors);
        } catch (IllegalArgumentException e) {
            throw in.malformed(e.getMessage());
        }
    }

    private static StreamingHistogram histogram(ByteSource in) {
        long count = in.varint();
        float min = Float.intBitsToFloat(in.u32());
        float max = Float.intBitsToFloat(in.u32());
        int allocated = in.intIn("block count", 0, StreamingHistogram.BLOCK_COUNT);
        long[][] blocks = new long[StreamingHistogram.BLOCK_COUNT][];
        long sum = 0;
        int previousBlock = -1;
        for (int k = 0; k < allocated; k++) {
            int b = in.intIn("block index", previousBlock + 1, StreamingHistogram.BLOCK_COUNT - 1);
            previousBlock = b;
            long[] block = new long[StreamingHistogram.BLOCK_SIZE];
            int nonZero = in.intIn("non-zero counters of block " + b, 1, StreamingHistogram.BLOCK_SIZE);
            int position = -1;
            for (int j = 0; j < nonZero; j++) {
                position += 1 + in.intIn("counter gap", 0, StreamingHistogram.BLOCK_SIZE - 2 - position);
                long c = in.varint();
                if (c < 1) throw in.malformed("zero counter stored in block " + b);
                block[position] = c;
                sum = addCount(in, sum, c);
            }
            blocks[b] = block;
        }
        if (sum != count) throw in.malformed("counters sum to " + sum + " but the value count is " + count);
        if (count == 0) {
            if (min != Float.POSITIVE_INFINITY || max != Float.NEGATIVE_INFINITY) {
                throw in.malformed("no value counted but min/max are " + min + ", " + max);
            }
            return new StreamingHistogram(blocks, 0, min, max);
        }
        if (!Float.isFinite(min) || !Float.isFinite(max) || Float.compare(min, max) > 0) {
            throw in.malformed("invalid min/max " + min + ", " + max);
        }
        for (float extreme : new float[] {min, max}) {
            int index = StreamingHistogram.counterIndex(extreme);
            long[] block = blocks[index / StreamingHistogram.BLOCK_SIZE];
            if (block == null || block[index % StreamingHistogram.BLOCK_SIZE] == 0) {
                throw in.malformed("the bin of the extreme value " + extreme + " is empty");
            }
        }
        StreamingHistogram histogram = new StreamingHistogram(blocks, count, min, max);
        HistogramBins bins = histogram.signed();
        for (int i = 0; i < bins.size(); i++) {
            if (!(bins.lo(i) <= bins.hi(i))) {
                throw in.malformed("a non-empty bin lies outside [min, max] = [" + min + ", " + max + "]");
            }
        }
        return histogram;
    }

    private static long addCount(ByteSource in, long sum, long c) {
        try {
            return Math.addExact(sum, c);
        } catch (ArithmeticException e) {
            throw in.malformed("counters overflow a 64-bit total");
        }
    }
}
