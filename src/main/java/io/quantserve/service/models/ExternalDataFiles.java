package io.quantserve.service.models;

import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.onnx.ModelTensors;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.StringStringEntryProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The external-data files of a model: the distinct {@code location} entries of its external tensors. The engine's
 * sandbox ({@code ExternalData.resolve}, run by {@code ModelIo.load}) already refuses absolute locations, {@code ..}
 * and links leaving the model's folder; the service stores each file under an object key made from its location,
 * so a location must also be a key's relative path: {@code /}-separated segments of letters, digits, {@code .},
 * {@code _} and {@code -}.
 */
final class ExternalDataFiles {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");
    private static final int MAX_LENGTH = 500;

    private ExternalDataFiles() {}

    /** The distinct locations the model's external tensors name, sorted; each checked by {@link #check}. */
    static List<String> locations(ModelProto model, String modelFileName) {
        TreeSet<String> locations = new TreeSet<>();
        ModelTensors.forEach(model, t -> {
            if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) return;
            for (StringStringEntryProto e : t.getExternalDataList()) {
                if (e.getKey().equals("location")) locations.add(e.getValue());
            }
        });
        List<String> checked = new ArrayList<>();
        for (String location : locations) checked.add(check(location, modelFileName));
        return checked;
    }

    /**
     * Returns {@code location} when the service can store a file under it.
     *
     * @param modelFileName the model's own file name, which no data file may take
     * @throws InvalidModelException naming the location and the rule it breaks
     */
    static String check(String location, String modelFileName) {
        if (location.isEmpty() || location.length() > MAX_LENGTH) {
            throw new InvalidModelException(
                    "external data location '" + location + "' must have 1 to " + MAX_LENGTH + " characters");
        }
        if (location.startsWith("/") || location.contains("\\") || location.matches("^[A-Za-z]:.*")) {
            throw new InvalidModelException("external data location '" + location
                    + "' is absolute; only paths inside the model's folder are allowed");
        }
        for (String segment : location.split("/", -1)) {
            if (segment.equals("..")) {
                throw new InvalidModelException("external data location '" + location + "' leaves the model's folder");
            }
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".")) {
                throw new InvalidModelException("external data location '" + location
                        + "' must be made of '/'-separated names of letters, digits, '.', '_' and '-'");
            }
        }
        if (location.equals(modelFileName)) {
            throw new InvalidModelException("external data location '" + location + "' is the model file itself");
        }
        return location;
    }
}
