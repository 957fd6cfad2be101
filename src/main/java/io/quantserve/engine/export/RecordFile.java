package io.quantserve.engine.export;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.TextFormat;
import com.google.protobuf.TextFormatParseInfoTree;
import com.google.protobuf.TextFormatParseLocation;
import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.export.proto.AmctRecord.MapFieldEntry;
import io.quantserve.engine.export.proto.AmctRecord.ScaleOffsetRecord;
import io.quantserve.engine.export.proto.AmctRecord.SingleLayerRecord;
import io.quantserve.engine.quant.LayerFactors;
import io.quantserve.engine.quant.LayerQuantization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AMCT's record file: the {@code ScaleOffsetRecord} protobuf ({@code amct_record.proto}) in text format, one
 * {@code record { key: "<layer>" value { scale_d … offset_d … scale_w … offset_w … } }} block per layer.
 *
 * <p><b>Reading</b> validates everything a user may have edited, with {@link InvalidConfigException}s that
 * name the file, the layer, the field and the line: syntax errors; a field given twice; a layer given twice;
 * {@code scale_d} missing, non-finite or &le; 0; {@code offset_d} missing or outside [-128, 127];
 * {@code scale_w} missing while {@code offset_w} is given, or any {@code scale_w} non-finite or &le; 0;
 * {@code offset_w} not all 0 or not one per {@code scale_w}; {@code shift_bit}, which AMCT reserves and refuses
 * for uniform quantization ("please delete shift_bit"); {@code tensor_balance_factor} (DMQ balancing, one per input
 * channel) outside AMCT's {@code [FLT_EPSILON, 1/FLT_EPSILON]} or on an activation-only layer. A layer with neither
 * {@code scale_w} nor {@code offset_w} is an activation-only layer (AveragePool), as AMCT writes it. Whether the
 * number of balance factors fits the layer is checked when the record is applied to the model. An empty file is a
 * valid, empty record; {@link #requireCalibrated} turns it into the "calibration not finished" error for exporters.
 *
 * <p><b>Writing</b> validates the same rules, keeps the map's layer order and prints with protobuf's text
 * printer: the output is deterministic and each float is written as the shortest decimal that reads back to
 * the same float32 bits.
 */
public final class RecordFile {
    private static final FieldDescriptor RECORD_FIELD =
            ScaleOffsetRecord.getDescriptor().findFieldByNumber(ScaleOffsetRecord.RECORD_FIELD_NUMBER);

    private RecordFile() {}

    /** Reads and validates a record file; the map keeps the file's layer order. */
    public static Map<String, LayerRecord> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException("record file '" + file + "' does not exist");
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("reading record file '" + file + "'", e);
        }
    }

    /**
     * Parses and validates record text.
     *
     * @param source how to name the text in error messages (usually the file path)
     */
    public static Map<String, LayerRecord> parse(String text, String source) {
        TextFormatParseInfoTree.Builder tree = TextFormatParseInfoTree.builder();
        TextFormat.Parser parser = TextFormat.Parser.newBuilder()
                .setSingularOverwritePolicy(TextFormat.Parser.SingularOverwritePolicy.FORBID_SINGULAR_OVERWRITES)
                .setParseInfoTreeBuilder(tree)
                .build();
        ScaleOffsetRecord.Builder builder = ScaleOffsetRecord.newBuilder();
        try {
            parser.merge(text, builder);
        } catch (TextFormat.ParseException e) {
            throw new InvalidConfigException(
                    "record file '" + source + "', line " + e.getLine() + ": syntax error: " + detail(e), e);
        }
        ScaleOffsetRecord proto = builder.build();
        TextFormatParseInfoTree locations = tree.build();
        Map<String, LayerRecord> out = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new HashMap<>();
        for (int i = 0; i < proto.getRecordCount(); i++) {
            int line = line(locations, i);
            String where = "record file '" + source + "', line " + line;
            MapFieldEntry entry = proto.getRecord(i);
            if (!entry.hasKey() || entry.getKey().isEmpty()) {
                throw new InvalidConfigException(where + ": record without a layer name (key)");
            }
            String layer = entry.getKey();
            Integer previous = firstLine.putIfAbsent(layer, line);
            if (previous != null) {
                throw new InvalidConfigException(where + ": layer '" + layer + "' is recorded twice (first at line "
                        + previous + "); keep one record per layer");
            }
            out.put(layer, toLayerRecord(entry, where));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Writes a record file atomically (temporary file, then move). */
    public static void write(Map<String, LayerRecord> records, Path file) {
        String text = format(records);
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing record file '" + file + "'", e);
        }
    }

    /** The text of a record file, layers in map order; refuses records that {@link #parse} would refuse. */
    public static String format(Map<String, LayerRecord> records) {
        ScaleOffsetRecord.Builder b = ScaleOffsetRecord.newBuilder();
        for (Map.Entry<String, LayerRecord> e : records.entrySet()) {
            String where = "record of layer '" + e.getKey() + "'";
            if (e.getKey().isEmpty()) {
                throw new InvalidConfigException("cannot write a record without a layer name");
            }
            validate(e.getValue(), where);
            b.addRecord(MapFieldEntry.newBuilder().setKey(e.getKey()).setValue(toProto(e.getValue())));
        }
        return TextFormat.printer().printToString(b.build());
    }

    /** The records AMCT would write for these quantized layers, in list order. */
    public static Map<String, LayerRecord> fromQuantization(List<LayerQuantization> layers) {
        Map<String, LayerRecord> out = new LinkedHashMap<>();
        for (LayerQuantization q : layers) {
            if (out.put(q.layer().name(), LayerRecord.of(q)) != null) {
                throw new InvalidConfigException("layer '" + q.layer().name() + "' is quantized twice");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Returns {@code records} unless empty; an empty record means calibration never wrote factors, which AMCT's
     * {@code save_model} refuses.
     *
     * @param source the record's file name, for the message
     */
    public static Map<String, LayerRecord> requireCalibrated(Map<String, LayerRecord> records, String source) {
        if (records.isEmpty()) {
            throw new InvalidConfigException("record '" + source + "' holds no layer: calibration not finished "
                    + "(run batch_num calibration batches before saving the models)");
        }
        return records;
    }

    private static LayerRecord toLayerRecord(MapFieldEntry entry, String where) {
        String at = where + ", layer '" + entry.getKey() + "'";
        SingleLayerRecord v = entry.getValue();
        if (!v.hasScaleD()) {
            throw new InvalidConfigException(at + ": scale_d is missing (calibration not finished?)");
        }
        if (!v.hasOffsetD()) {
            throw new InvalidConfigException(at + ": offset_d is missing (calibration not finished?)");
        }
        if (v.getShiftBitCount() > 0) {
            throw new InvalidConfigException(
                    at + ": shift_bit is reserved and not supported for uniform quantization; delete it");
        }
        float[] scaleW = new float[v.getScaleWCount()];
        for (int i = 0; i < scaleW.length; i++) scaleW[i] = v.getScaleW(i);
        int[] offsetW = v.getOffsetWList().stream().mapToInt(Integer::intValue).toArray();
        float[] balance = new float[v.getTensorBalanceFactorCount()];
        for (int i = 0; i < balance.length; i++) balance[i] = v.getTensorBalanceFactor(i);
        LayerRecord r = new LayerRecord(v.getScaleD(), v.getOffsetD(), scaleW, offsetW, balance);
        validate(r, at);
        return r;
    }

    private static void validate(LayerRecord r, String at) {
        if (!(r.scaleD() > 0) || !Float.isFinite(r.scaleD())) {
            throw new InvalidConfigException(at + ": scale_d must be finite and > 0, got " + r.scaleD());
        }
        if (r.offsetD() < -128 || r.offsetD() > 127) {
            throw new InvalidConfigException(at + ": offset_d must lie in [-128, 127], got " + r.offsetD());
        }
        float[] scaleW = r.scaleW();
        int[] offsetW = r.offsetW();
        if (scaleW.length == 0 && offsetW.length > 0) {
            throw new InvalidConfigException(at + ": scale_w is missing while offset_w is given");
        }
        for (int i = 0; i < scaleW.length; i++) {
            if (!(scaleW[i] > 0) || !Float.isFinite(scaleW[i])) {
                throw new InvalidConfigException(at + ": scale_w[" + i + "] must be finite and > 0, got " + scaleW[i]);
            }
        }
        if (offsetW.length != scaleW.length) {
            throw new InvalidConfigException(at + ": " + offsetW.length + " offset_w for " + scaleW.length
                    + " scale_w; give one offset_w (0) per scale_w");
        }
        for (int i = 0; i < offsetW.length; i++) {
            if (offsetW[i] != 0) {
                throw new InvalidConfigException(at + ": offset_w[" + i + "] must be 0, got " + offsetW[i]);
            }
        }
        float[] balance = r.tensorBalanceFactor();
        if (balance.length > 0 && r.activationOnly()) {
            throw new InvalidConfigException(
                    at + ": tensor_balance_factor needs a layer with weights (scale_w), DMQ balances weights");
        }
        for (int i = 0; i < balance.length; i++) {
            if (!LayerFactors.validBalanceFactor(balance[i])) {
                throw new InvalidConfigException(at + ": tensor_balance_factor[" + i
                        + "] must lie in [FLT_EPSILON, 1/FLT_EPSILON], got " + balance[i]);
            }
        }
    }

    private static SingleLayerRecord toProto(LayerRecord r) {
        SingleLayerRecord.Builder b =
                SingleLayerRecord.newBuilder().setScaleD(r.scaleD()).setOffsetD(r.offsetD());
        for (float s : r.scaleW()) b.addScaleW(s);
        for (int o : r.offsetW()) b.addOffsetW(o);
        for (float f : r.tensorBalanceFactor()) b.addTensorBalanceFactor(f);
        return b.build();
    }

    /** 1-based line of the {@code index}-th {@code record} field. */
    private static int line(TextFormatParseInfoTree tree, int index) {
        TextFormatParseLocation loc = tree.getLocation(RECORD_FIELD, index);
        return loc.getLine() + 1;
    }

    /** The parser's message without its own "line:column:" prefix (we print the line ourselves). */
    private static String detail(TextFormat.ParseException e) {
        String msg = e.getMessage() == null ? "" : e.getMessage();
        return msg.replaceFirst("^\\d+:\\d+: ", "");
    }
}
