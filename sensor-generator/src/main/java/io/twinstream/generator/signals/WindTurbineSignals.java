package io.twinstream.generator.signals;

import java.util.SplittableRandom;

/**
 * Wind drives everything: rotor speed and power follow the turbine's power curve (cut-in 3 m/s,
 * rated 12 m/s, cut-out 25 m/s), the gearbox warms with power, vibration grows with rotor speed.
 * Sensors: wind_speed, rotor_rpm, power_kw, gearbox_temp_c, vibration_mm_s.
 */
final class WindTurbineSignals implements SignalModel {
    private static final double CUT_IN = 3, RATED_WIND = 12, CUT_OUT = 25;
    private static final double RATED_KW = 2000, RATED_RPM = 16;

    private final double siteMeanWind;
    private double wind;
    private double gearboxTemp;

    WindTurbineSignals(SplittableRandom rnd) {
        siteMeanWind = 8.55 + 0.75 * rnd.nextDouble(); // a capacity factor between about 25% and 45% (FleetGeneratorTest)
        wind = siteMeanWind;
        gearboxTemp = 45;
    }

    @Override
    public void next(long dtMs, SplittableRandom rnd, double[] out) {
        double dt = dtMs / 1000.0;
        wind = Math.max(0, SignalModel.ou(wind, siteMeanWind, 0.002, 0.08, dt, rnd));
        double load;
        if (wind < CUT_IN || wind > CUT_OUT) {
            load = 0;
        } else if (wind < RATED_WIND) {
            double x = (wind - CUT_IN) / (RATED_WIND - CUT_IN);
            load = x * x * x;
        } else {
            load = 1;
        }
        double rpm = load == 0 ? 0.3 * rnd.nextDouble() : RATED_RPM * Math.cbrt(load) + 0.1 * rnd.nextGaussian();
        double power = RATED_KW * load * (1 + 0.01 * rnd.nextGaussian());
        gearboxTemp = SignalModel.lag(gearboxTemp, 38 + 30 * load, 600, dt);
        out[0] = wind + 0.2 * rnd.nextGaussian();
        out[1] = Math.max(0, rpm);
        out[2] = power;
        out[3] = gearboxTemp + 0.2 * rnd.nextGaussian();
        out[4] = Math.max(0, 1.0 + 0.15 * rpm + 0.12 * rnd.nextGaussian());
    }

    @Override
    public int[] wearSensors() {
        return new int[] {3, 4};
    }
}
