package io.twinstream.generator.signals;

import io.twinstream.schemas.AssetModel;
import io.twinstream.schemas.SensorSpec;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Signals for any asset model, from its sensors' ranges alone: a shared load that follows a daily cycle and wanders
 * (Ornstein-Uhlenbeck), each sensor a level inside its range (between 30% and 60% of it) that follows the load with
 * a sensor's own weight and lag, plus noise of about 1% of its range. Values stay inside the range and its alert
 * limits, so only injected faults breach them. The fault kinds and their labels are the generator's, as for the
 * built-in types.
 */
public final class GenericSignals implements SignalModel {
    private static final double DAY_S = 86_400;

    private final double[] level;
    private final double[] span;
    private final double[] weight;
    private final double[] lagS;
    private final double[] low;
    private final double[] high;
    private final double[] state;
    private final double phase;
    private double load;
    private double elapsedS;

    GenericSignals(AssetModel model, SplittableRandom rnd) {
        List<SensorSpec> sensors = model.sensors();
        int n = sensors.size();
        level = new double[n];
        span = new double[n];
        weight = new double[n];
        lagS = new double[n];
        low = new double[n];
        high = new double[n];
        state = new double[n];
        for (int j = 0; j < n; j++) {
            SensorSpec s = sensors.get(j);
            low[j] = s.lowLimit();
            high[j] = s.highLimit();
            span[j] = high[j] - low[j];
            level[j] = low[j] + span[j] * (0.3 + 0.3 * rnd.nextDouble());
            weight[j] = (rnd.nextBoolean() ? 1 : -1) * (0.05 + 0.1 * rnd.nextDouble());
            lagS[j] = 5 + 300 * rnd.nextDouble();
            state[j] = level[j];
        }
        phase = 2 * Math.PI * rnd.nextDouble();
    }

    @Override
    public void next(long dtMs, SplittableRandom rnd, double[] out) {
        double dt = dtMs / 1000.0;
        elapsedS += dt;
        double daily = 0.5 * Math.sin(2 * Math.PI * elapsedS / DAY_S + phase);
        load = SignalModel.ou(load, daily, 0.002, 0.02, dt, rnd);
        for (int j = 0; j < state.length; j++) {
            double target = level[j] + weight[j] * span[j] * load;
            state[j] = SignalModel.lag(state[j], target, lagS[j], dt);
            double v = state[j] + 0.01 * span[j] * rnd.nextGaussian();
            // a margin of 1% inside the limits: a clean signal never breaches them
            out[j] = Math.min(high[j] - 0.01 * span[j], Math.max(low[j] + 0.01 * span[j], v));
        }
    }

    @Override
    public int[] wearSensors() {
        int[] all = new int[state.length];
        for (int j = 0; j < all.length; j++) {
            all[j] = j;
        }
        return all;
    }
}
