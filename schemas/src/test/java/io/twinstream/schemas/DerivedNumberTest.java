package io.twinstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DerivedNumberTest {

    @Test
    void writesSixSignificantDigitsInJavasShape() {
        assertThat(DerivedNumber.toString(81.55371464430459)).isEqualTo("81.5537");
        assertThat(DerivedNumber.toString(0.05270190282885085)).isEqualTo("0.0527019");
        assertThat(DerivedNumber.toString(-1.688129818394109)).isEqualTo("-1.68813");
        assertThat(DerivedNumber.toString(258.20407180497733)).isEqualTo("258.204");
        assertThat(DerivedNumber.toString(0.97)).isEqualTo("0.97");
        assertThat(DerivedNumber.toString(1.0)).isEqualTo("1.0");
        assertThat(DerivedNumber.toString(0.0)).isEqualTo("0.0");
        assertThat(DerivedNumber.toString(5424.0)).isEqualTo("5424.0");
        assertThat(DerivedNumber.toString(1_234_567.0)).isEqualTo("1234570.0");
        assertThat(DerivedNumber.toString(12_345_678.0)).isEqualTo("1.23457E7");
        assertThat(DerivedNumber.toString(0.001)).isEqualTo("0.001");
        assertThat(DerivedNumber.toString(0.000123456789)).isEqualTo("1.23457E-4");
        assertThat(DerivedNumber.toString(9.9999996)).isEqualTo("10.0");
        assertThat(DerivedNumber.toString(999_999.7)).isEqualTo("1000000.0");
        assertThat(DerivedNumber.toString(1e300)).isEqualTo("1E+300");
        assertThat(DerivedNumber.toString(Double.NaN)).isEqualTo("NaN");
    }

    /** Against BigDecimal's rounding, over every magnitude the pipeline can produce and then some. */
    @Test
    void agreesWithDecimalRoundingWithinHalfAUnitInTheLastDigit() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            assertRounded((random.nextBoolean() ? 1 : -1) * random.nextDouble(1, 10) * Math.pow(10, random.nextInt(-30, 30)));
        }
    }

    /** Where the decimal exponent changes, and where the binary one does, which the exponent estimate starts from. */
    @Test
    void powersOfTenAndTwoAndTheirNeighbours() {
        for (int e = -289; e <= 289; e++) {
            double v = Double.parseDouble("1e" + e);
            assertRounded(v);
            assertRounded(Math.nextUp(v));
            assertRounded(Math.nextDown(v));
            assertRounded(v * 9.9999951);
        }
        for (int e = -960; e <= 960; e++) {
            double v = Math.scalb(1.0, e);
            assertRounded(v);
            assertRounded(Math.nextDown(v));
        }
    }

    private static void assertRounded(double v) {
        String text = DerivedNumber.toString(v);
        double back = Double.parseDouble(text);
        BigDecimal exact = new BigDecimal(v).round(new MathContext(DerivedNumber.DIGITS));
        assertThat(new BigDecimal(text).stripTrailingZeros().precision()).as(text).isLessThanOrEqualTo(DerivedNumber.DIGITS);
        if (back != exact.doubleValue()) { // only a value within a rounding error of a half-way point may differ
            assertThat(Math.abs(back - v)).as("%s -> %s", v, text)
                    .isLessThanOrEqualTo(Math.ulp(exact.doubleValue()) * 4 + Math.abs(exact.doubleValue()) * 5.000001e-6);
        }
    }

    @Test
    void derivedFieldsAreRoundedAndReadingsAreNot() throws Exception {
        SensorState s = new SensorState(87.27717708937058, 1L, 298, 81.55371464430459, 6.667430861448751,
                68.25779357849703, 98.15316639436791, false, 0);
        String json = Json.MAPPER.writeValueAsString(s);
        assertThat(json).contains("\"lastValue\":87.27717708937058", "\"min\":68.25779357849703",
                "\"max\":98.15316639436791", "\"mean\":81.5537", "\"stddev\":6.66743");
        SensorScore score = new SensorScore(0.123456789, Detector.RESIDUAL, 86.4105828144522, 88.50084471589365, 5,
                92.83049188244098, null);
        assertThat(Json.MAPPER.writeValueAsString(score)).isEqualTo("{\"score\":0.123457,\"detector\":\"RESIDUAL\","
                + "\"observed\":86.4106,\"expected\":88.5008,\"samples\":5,\"trendPerHour\":92.8305,\"rulSeconds\":null}");
        assertThat(Json.MAPPER.readValue(json, SensorState.class).mean()).isEqualTo(81.5537);
    }
}
