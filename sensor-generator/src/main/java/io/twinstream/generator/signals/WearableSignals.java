package io.twinstream.generator.signals;

import java.util.SplittableRandom;

/**
 * Vital signs driven by a slowly varying activity level: heart and breathing rates rise with it,
 * oxygen saturation dips slightly, skin temperature follows with a lag.
 * Sensors: heart_rate_bpm, spo2_pct, skin_temp_c, respiration_rate_bpm.
 */
final class WearableSignals implements SignalModel {
    private final double restingHr;
    private double activity = 0.2;
    private double skinTemp = 33.5;

    WearableSignals(SplittableRandom rnd) {
        restingHr = 58 + 14 * rnd.nextDouble();
    }

    @Override
    public void next(long dtMs, SplittableRandom rnd, double[] out) {
        double dt = dtMs / 1000.0;
        activity = Math.max(0, Math.min(1, SignalModel.ou(activity, 0.25, 0.003, 0.01, dt, rnd)));
        skinTemp = SignalModel.lag(skinTemp, 33.3 + 0.8 * activity, 300, dt);
        out[0] = restingHr + 55 * activity + 1.5 * rnd.nextGaussian();
        out[1] = Math.min(100, 97.8 - 1.2 * activity + 0.3 * rnd.nextGaussian());
        out[2] = skinTemp + 0.05 * rnd.nextGaussian();
        out[3] = 13 + 9 * activity + 0.4 * rnd.nextGaussian();
    }

    @Override
    public int[] wearSensors() {
        return new int[] {2};
    }
}
