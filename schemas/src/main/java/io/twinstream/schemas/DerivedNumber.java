package io.twinstream.schemas;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * Writes a number the pipeline computed (a mean, a score, a trend, a forecast) with {@value #DIGITS} significant
 * digits. Such a value carries no more information than that: a running standard deviation printed with 17 digits
 * shows floating-point noise, not the asset. Readings a device sent are not derived and are written exactly as
 * received; so is every decision the pipeline takes from a derived value, since it uses the unrounded value.
 *
 * <p>The text is built directly from the rounded integer mantissa, in the same shape as Java's
 * {@code Double.toString} (plain from 0.001 to below 10,000,000, otherwise {@code d.dddE±n}). The pipeline writes
 * about 28 such values per snapshot and 21 per score; formatting them is cheaper this way than a shortest-digits
 * conversion of the full double (about 60 against 110 ns here), and snapshots are 11% and scores 16% smaller
 * (docs/performance-journal.md).
 */
public final class DerivedNumber extends StdSerializer<Double> {
    private static final long serialVersionUID = 1L;

    /** Significant digits of a derived value on the wire. */
    public static final int DIGITS = 6;

    private static final long MANTISSA_LIMIT = (long) Math.pow(10, DIGITS);
    /** Longest text is 13 characters ({@code -1.23456E-290}); the digits sit in the last {@link #DIGITS}. */
    static final int BUFFER = 24;
    private static final int POW10_OFFSET = 300;
    /** 10^(i - POW10_OFFSET), the nearest double; exact from 10^0 to 10^22. */
    private static final double[] POW10 = new double[2 * POW10_OFFSET + 1];

    static {
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = Double.parseDouble("1e" + (i - POW10_OFFSET));
        }
    }

    public DerivedNumber() {
        super(Double.class);
    }

    @Override
    public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        write(gen, value, new char[BUFFER]);
    }

    /** Writes {@code value} rounded to {@link #DIGITS} significant digits, using {@code buf} ({@link #BUFFER} chars). */
    static void write(JsonGenerator gen, double value, char[] buf) throws IOException {
        int n = format(value, buf);
        if (n < 0) {
            gen.writeNumber(value); // NaN and infinities: whatever the mapper does with them elsewhere
        } else {
            gen.writeNumber(buf, 0, n);
        }
    }

    /** {@code v} rounded to {@link #DIGITS} significant digits, as text. */
    public static String toString(double v) {
        char[] buf = new char[BUFFER];
        int n = format(v, buf);
        return n < 0 ? Double.toString(v) : new String(buf, 0, n);
    }

    /** Writes {@code v} rounded to {@link #DIGITS} significant digits into {@code buf}; its length, or -1 if not finite. */
    public static int format(double v, char[] buf) {
        if (!Double.isFinite(v)) {
            return -1;
        }
        int pos = 0;
        if (v == 0) {
            buf[0] = '0';
            buf[1] = '.';
            buf[2] = '0';
            return 3;
        }
        if (v < 0) {
            buf[pos++] = '-';
            v = -v;
        }
        if (v < 1e-290 || v > 1e290) { // beyond the powers of ten this path uses; no pipeline value gets here
            String s = new java.math.BigDecimal(v).round(new java.math.MathContext(DIGITS)).stripTrailingZeros().toString();
            s.getChars(0, s.length(), buf, pos);
            return pos + s.length();
        }
        // decimal exponent of the leading digit: floor(log2(v) * log10(2)), in integers, is it or one less (Math.log10
        // costs more than the rest of this method); then the mantissa as an integer of DIGITS digits
        int exp = (int) ((Math.getExponent(v) * 78_913L) >> 18);
        if (v >= POW10[exp + 1 + POW10_OFFSET]) {
            exp++;
        }
        long m = mantissa(v, exp);
        if (m >= MANTISSA_LIMIT) { // 9.999995 rounds up to 10.0000 (or v sat just under an inexact power of ten)
            exp++;
            m /= 10;
        }
        // the digits go to the end of buf, out of the way of the text built from its start
        int d0 = buf.length - DIGITS;
        int last = 0;
        int mi = (int) m;
        for (int i = DIGITS - 1; i >= 0; i--) {
            int d = mi % 10;
            mi /= 10;
            buf[d0 + i] = (char) ('0' + d);
            if (d != 0 && last == 0) {
                last = i + 1;
            }
        }
        int count = Math.max(last, 1); // significant digits without trailing zeros
        if (exp >= -3 && exp < 7) {
            if (exp < 0) {
                buf[pos++] = '0';
                buf[pos++] = '.';
                for (int i = -1; i > exp; i--) {
                    buf[pos++] = '0';
                }
                pos = copyDigits(buf, d0, 0, count, pos);
            } else {
                for (int i = 0; i <= exp; i++) {
                    buf[pos++] = i < count ? buf[d0 + i] : '0';
                }
                buf[pos++] = '.';
                if (count > exp + 1) {
                    pos = copyDigits(buf, d0, exp + 1, count, pos);
                } else {
                    buf[pos++] = '0';
                }
            }
        } else {
            buf[pos++] = buf[d0];
            buf[pos++] = '.';
            if (count > 1) {
                pos = copyDigits(buf, d0, 1, count, pos);
            } else {
                buf[pos++] = '0';
            }
            buf[pos++] = 'E';
            String e = Integer.toString(exp);
            e.getChars(0, e.length(), buf, pos);
            pos += e.length();
        }
        return pos;
    }

    /** Copies digits {@code from} (inclusive) to {@code to} of those at {@code d0} to {@code pos}; the new end. */
    private static int copyDigits(char[] buf, int d0, int from, int to, int pos) {
        System.arraycopy(buf, d0 + from, buf, pos, to - from);
        return pos + to - from;
    }

    /** round(v / 10^(exp - DIGITS + 1)); the power of ten is exact where the value has most of its uses. */
    private static long mantissa(double v, int exp) {
        int shift = DIGITS - 1 - exp;
        return Math.round(shift >= 0 ? v * POW10[shift + POW10_OFFSET] : v / POW10[-shift + POW10_OFFSET]);
    }
}
