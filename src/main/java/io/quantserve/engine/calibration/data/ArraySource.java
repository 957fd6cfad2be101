package io.quantserve.engine.calibration.data;

import java.util.List;

/** Named NumPy arrays whose rows can be streamed: an {@code .npz} archive or a single {@code .npy} file. */
sealed interface ArraySource extends AutoCloseable permits NpzArchive, NpyFile {
    DataFormat format();

    /** Every array, in file order, from headers only. */
    List<ArrayInfo> arrays();

    /** A new reader positioned at the first row of the named array; the caller closes it. */
    NpyRowReader rows(String name);

    @Override
    void close();
}
