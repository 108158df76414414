package io.twinstream.jobs.twin;

/**
 * Per-asset deduplication by sequence number in bounded state: a ring of bits remembering which of
 * the last {@code 64 * words} sequence numbers below the highest one were seen.
 */
public final class SequenceWindow {
    public enum Verdict { NEW, DUPLICATE, TOO_OLD }

    private SequenceWindow() {}

    public static long[] create(int size) {
        if (size <= 0 || size % 64 != 0) {
            throw new IllegalArgumentException("dedup window must be a positive multiple of 64, got " + size);
        }
        return new long[size / 64];
    }

    /** @param maxSeq highest sequence number marked so far, or -1 if none */
    public static Verdict check(long[] bits, long maxSeq, long seq) {
        if (maxSeq < 0 || seq > maxSeq) {
            return Verdict.NEW;
        }
        if (maxSeq - seq >= bits.length * 64L) {
            return Verdict.TOO_OLD;
        }
        return isSet(bits, seq) ? Verdict.DUPLICATE : Verdict.NEW;
    }

    /** Marks {@code seq} seen (it must have been checked NEW); returns the new highest sequence number. */
    public static long mark(long[] bits, long maxSeq, long seq) {
        long size = bits.length * 64L;
        if (seq > maxSeq) {
            if (maxSeq < 0 || seq - maxSeq >= size) {
                java.util.Arrays.fill(bits, 0L);
            } else {
                for (long s = maxSeq + 1; s < seq; s++) {
                    clear(bits, s);
                }
            }
            maxSeq = seq;
        }
        set(bits, seq);
        return maxSeq;
    }

    private static int slot(long[] bits, long seq) {
        return (int) Math.floorMod(seq, bits.length * 64L);
    }

    private static boolean isSet(long[] bits, long seq) {
        int i = slot(bits, seq);
        return (bits[i >>> 6] & (1L << (i & 63))) != 0;
    }

    private static void set(long[] bits, long seq) {
        int i = slot(bits, seq);
        bits[i >>> 6] |= 1L << (i & 63);
    }

    private static void clear(long[] bits, long seq) {
        int i = slot(bits, seq);
        bits[i >>> 6] &= ~(1L << (i & 63));
    }
}
