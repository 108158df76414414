package io.twinstream.jobs.twin;

import static io.twinstream.jobs.twin.SequenceWindow.Verdict.DUPLICATE;
import static io.twinstream.jobs.twin.SequenceWindow.Verdict.NEW;
import static io.twinstream.jobs.twin.SequenceWindow.Verdict.TOO_OLD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SequenceWindowTest {

    @Test
    void detectsDuplicatesInOrderOutOfOrderAndAcrossTheRingBoundary() {
        long[] bits = SequenceWindow.create(128);
        long max = -1;
        for (long s : new long[] {1, 2, 3, 5, 4, 130, 129, 200}) {
            assertThat(SequenceWindow.check(bits, max, s)).as("seq %d", s).isEqualTo(NEW);
            max = SequenceWindow.mark(bits, max, s);
            assertThat(SequenceWindow.check(bits, max, s)).as("seq %d again", s).isEqualTo(DUPLICATE);
        }
        assertThat(max).isEqualTo(200);
        // 73 is inside the window (200-127) and was never seen; its ring slot was reused and cleared
        assertThat(SequenceWindow.check(bits, max, 73)).isEqualTo(NEW);
        assertThat(SequenceWindow.check(bits, max, 130)).isEqualTo(DUPLICATE);
        assertThat(SequenceWindow.check(bits, max, 72)).isEqualTo(TOO_OLD);
        // a jump larger than the window forgets everything before it
        max = SequenceWindow.mark(bits, max, 10_000);
        assertThat(SequenceWindow.check(bits, max, 9_999)).isEqualTo(NEW);
        assertThat(SequenceWindow.check(bits, max, 200)).isEqualTo(TOO_OLD);
    }

    @Test
    void sizeMustBeAMultipleOf64() {
        assertThatThrownBy(() -> SequenceWindow.create(100)).isInstanceOf(IllegalArgumentException.class);
    }
}
