package io.quantserve.engine.calibration.data;

/** The on-disk layouts {@link CalibrationData#open} recognises. */
public enum DataFormat {
    /** A NumPy {@code .npz} archive: one {@code .npy} member per array, first axis = samples. */
    NPZ,
    /** A single NumPy {@code .npy} array, first axis = samples; feeds a single-input model. */
    NPY,
    /**
     * An ONNX Runtime test-data folder: {@code test_data_set_<i>/input_<k>.pb}, each set one whole feed, inputs in
     * model input order.
     */
    ONNX_TEST_DATA
}
