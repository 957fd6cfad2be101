package io.quantserve.service.jobs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.service.jobs.web.RangeRequest.Part;
import io.quantserve.service.jobs.web.RangeRequest.Unsatisfiable;
import io.quantserve.service.jobs.web.RangeRequest.Whole;
import org.junit.jupiter.api.Test;

/** {@code Range} headers against a 100-byte object, as RFC 9110 reads them. */
class RangeRequestTest {
    private static final long SIZE = 100;

    @Test
    void singleRangesResolveToInclusiveBounds() {
        assertThat(RangeRequest.resolve("bytes=0-9", SIZE)).isEqualTo(new Part(0, 9));
        assertThat(RangeRequest.resolve("bytes=90-", SIZE)).isEqualTo(new Part(90, 99));
        assertThat(RangeRequest.resolve("bytes=-10", SIZE)).isEqualTo(new Part(90, 99));
        assertThat(RangeRequest.resolve("bytes=-1000", SIZE))
                .as("suffix longer than the object")
                .isEqualTo(new Part(0, 99));
        assertThat(RangeRequest.resolve("bytes=50-1000", SIZE))
                .as("end clamped")
                .isEqualTo(new Part(50, 99));
        assertThat(new Part(10, 19).length()).isEqualTo(10);
    }

    @Test
    void rangesPastTheEndAreUnsatisfiable() {
        assertThat(RangeRequest.resolve("bytes=100-", SIZE)).isInstanceOf(Unsatisfiable.class);
        assertThat(RangeRequest.resolve("bytes=-0", SIZE)).isInstanceOf(Unsatisfiable.class);
        assertThat(RangeRequest.resolve("bytes=0-", 0)).isInstanceOf(Unsatisfiable.class);
    }

    @Test
    void whatIsNotOneByteRangeIsIgnored() {
        assertThat(RangeRequest.resolve(null, SIZE)).isInstanceOf(Whole.class);
        assertThat(RangeRequest.resolve("bytes=0-1,5-6", SIZE))
                .as("several ranges")
                .isInstanceOf(Whole.class);
        assertThat(RangeRequest.resolve("items=0-1", SIZE)).isInstanceOf(Whole.class);
        assertThat(RangeRequest.resolve("bytes=9-3", SIZE))
                .as("last before first")
                .isInstanceOf(Whole.class);
        assertThat(RangeRequest.resolve("bytes=-", SIZE)).isInstanceOf(Whole.class);
    }
}
