package io.twinstream.generator.signals;

import java.util.SplittableRandom;

/**
 * A centrifugal pump on a duty cycle. Flow sets pressure and motor current; the bearing warms
 * while running; vibration follows speed. Start and stop ramp over about 30 s.
 * Sensors: flow_m3h, discharge_pressure_bar, motor_current_a, bearing_temp_c, vibration_mm_s.
 */
final class PumpSignals implements SignalModel {
    private final double nominalFlow;
    private boolean running = true;
    private double speed = 1; // 0..1 of nominal
    private double flowNoise;
    private double bearingTemp = 50;
    private double phaseLeftS;

    PumpSignals(SplittableRandom rnd) {
        nominalFlow = 180 + 80 * rnd.nextDouble();
        phaseLeftS = 900 + 1800 * rnd.nextDouble();
    }

    @Override
    public void next(long dtMs, SplittableRandom rnd, double[] out) {
        double dt = dtMs / 1000.0;
        phaseLeftS -= dt;
        if (phaseLeftS <= 0) {
            running = !running;
            phaseLeftS = running ? 900 + 1800 * rnd.nextDouble() : 120 + 480 * rnd.nextDouble();
        }
        speed = SignalModel.lag(speed, running ? 1 : 0, 10, dt);
        flowNoise = SignalModel.ou(flowNoise, 0, 0.05, 1.0, dt, rnd);
        double flow = Math.max(0, speed * nominalFlow + speed * flowNoise);
        bearingTemp = SignalModel.lag(bearingTemp, 28 + 27 * speed, 600, dt);
        out[0] = flow + 0.5 * rnd.nextGaussian() * speed;
        out[1] = Math.max(0, 0.4 + 8.0 * speed * speed + 0.08 * rnd.nextGaussian());
        out[2] = Math.max(0, 0.5 + 60 * speed + 0.12 * flow * speed / 2 + 0.4 * rnd.nextGaussian());
        out[3] = bearingTemp + 0.15 * rnd.nextGaussian();
        out[4] = Math.max(0, 0.3 + 2.2 * speed + 0.1 * rnd.nextGaussian());
    }

    @Override
    public int[] wearSensors() {
        return new int[] {3, 4};
    }
}
