package io.twinstream.jobs.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class WakeScheduleTest {
    final WakeSchedule<String> schedule = new WakeSchedule<>();
    final List<String> fired = new ArrayList<>();

    void fireUpTo(long watermark) throws Exception {
        schedule.fireUpTo(watermark, (key, time) -> fired.add(key + "@" + time));
    }

    @Test
    void wakeUpsFireOnceInTimeOrderUpToTheWatermarkAcrossBuckets() throws Exception {
        schedule.add("c", 2_500);
        schedule.add("a", 1_999);
        schedule.add("b", 1_000);
        schedule.add("d", 2_501);
        schedule.add("a", 1_999); // the same wake-up again is one wake-up
        fireUpTo(2_500);
        assertThat(fired).containsExactly("b@1000", "a@1999", "c@2500");
        assertThat(schedule.size()).isEqualTo(1);
        fireUpTo(2_500);
        assertThat(fired).hasSize(3);
        fireUpTo(2_501);
        assertThat(fired).containsExactly("b@1000", "a@1999", "c@2500", "d@2501");
        assertThat(schedule.size()).isZero();
    }

    @Test
    void aMovedOrCancelledWakeUpFiresOnlyAtItsNewTime() throws Exception {
        schedule.add("a", 1_000);
        schedule.remove("a", 1_000);
        schedule.add("a", 5_000);
        schedule.add("b", 1_200);
        schedule.remove("b", 1_200);
        schedule.remove("c", 1_000); // nothing to cancel
        fireUpTo(4_999);
        assertThat(fired).isEmpty();
        fireUpTo(Long.MAX_VALUE);
        assertThat(fired).containsExactly("a@5000");
    }

    @Test
    void aKeyHasOneWakeUp() {
        schedule.add("a", 1_000);
        assertThatThrownBy(() -> schedule.add("a", 2_000)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("one per key");
    }

    @Test
    void wakeUpsAddedWhileFiringFireInTheSamePassWhenDue() throws Exception {
        schedule.add("a", 1_100);
        schedule.fireUpTo(3_000, (key, time) -> {
            fired.add(key + "@" + time);
            if (time < 2_900) {
                schedule.add(key, time + 900); // the same bucket, the next one, then past the watermark
            }
        });
        assertThat(fired).containsExactly("a@1100", "a@2000", "a@2900");
        assertThat(schedule.size()).isZero();

        schedule.add("b", 3_400);
        fireUpTo(3_200);
        schedule.add("c", 3_100); // into the bucket left over with b in it, earlier than b
        fireUpTo(3_500);
        assertThat(fired).endsWith("c@3100", "b@3400");
    }

    /** Against a sorted map of (time, key): the same wake-ups in the same order, whatever the moves. */
    @Test
    void randomMovesFireLikeASortedSetOfTimers() throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        java.util.Map<String, Long> current = new java.util.HashMap<>();
        long watermark = 0;
        List<String> expected = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            String key = "k" + r.nextInt(300);
            Long had = current.get(key);
            if (had != null) {
                schedule.remove(key, had);
                current.remove(key);
            }
            if (r.nextInt(4) > 0) {
                long time = watermark + 1 + r.nextInt(10_000);
                schedule.add(key, time);
                current.put(key, time);
            }
            if (step % 50 == 49) {
                watermark += r.nextInt(3_000);
                TreeMap<Long, List<String>> due = new TreeMap<>();
                for (var e : current.entrySet()) {
                    if (e.getValue() <= watermark) {
                        due.computeIfAbsent(e.getValue(), t -> new ArrayList<>()).add(e.getKey());
                    }
                }
                due.forEach((time, keys) -> keys.forEach(k -> {
                    expected.add(time + "");
                    current.remove(k);
                }));
                List<String> times = new ArrayList<>();
                List<String> keys = new ArrayList<>();
                schedule.fireUpTo(watermark, (k, time) -> {
                    times.add(time + "");
                    keys.add(k);
                });
                fired.addAll(times);
                assertThat(keys).containsExactlyInAnyOrderElementsOf(
                        due.values().stream().flatMap(List::stream).toList());
                assertThat(schedule.size()).isEqualTo(current.size());
            }
        }
        assertThat(fired).isEqualTo(expected).hasSizeGreaterThan(1_000);
    }

    /** A watermark that stands still while readings keep moving wake-ups does not let stale entries grow without bound. */
    @Test
    void whileTheWatermarkStandsStillStaleEntriesStayBounded() throws Exception {
        int keys = 1_000;
        long[] latest = new long[keys];
        SplittableRandom r = new SplittableRandom(3);
        int most = 0;
        for (int move = 0; move < 2_000_000; move++) {
            int k = r.nextInt(keys);
            if (latest[k] != 0) {
                schedule.remove("k" + k, latest[k]);
            }
            latest[k] = 10_000 + r.nextInt(1_000_000);
            schedule.add("k" + k, latest[k]);
            most = Math.max(most, schedule.entries());
        }
        assertThat(most).isLessThanOrEqualTo(2 * keys + WakeSchedule.STALE_SLACK + 1);

        TreeMap<Long, List<String>> expected = new TreeMap<>();
        for (int k = 0; k < keys; k++) {
            expected.computeIfAbsent(latest[k], t -> new ArrayList<>()).add("k" + k + "@" + latest[k]);
        }
        fireUpTo(Long.MAX_VALUE);
        assertThat(fired).hasSize(keys);
        // in time order; keys due at the same time in any order
        List<Long> times = fired.stream().map(f -> Long.parseLong(f.substring(f.indexOf('@') + 1))).toList();
        assertThat(times).isSorted();
        assertThat(fired).containsExactlyInAnyOrderElementsOf(expected.values().stream().flatMap(List::stream).toList());
        assertThat(schedule.entries()).isZero();
    }
}
