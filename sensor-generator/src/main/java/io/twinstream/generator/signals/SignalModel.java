package io.twinstream.generator.signals;

import io.twinstream.schemas.AssetModel;
import io.twinstream.schemas.AssetModels;
import java.util.SplittableRandom;

/**
 * Clean, physically plausible signals of one asset. Values are written in the order of the asset
 * model's sensors. Implementations keep the asset's physical state (operating cycle, temperatures
 * that lag behind load) between calls.
 */
public interface SignalModel {

    /** Advance the asset by {@code dtMs} and write one reading of every sensor into {@code out}. */
    void next(long dtMs, SplittableRandom rnd, double[] out);

    /** Sensors that wear out slowly (the DEGRADATION fault picks among these), by index. */
    int[] wearSensors();

    static SignalModel forType(AssetModel model, SplittableRandom rnd) {
        return switch (model.type()) {
            case AssetModels.WIND_TURBINE -> new WindTurbineSignals(rnd);
            case AssetModels.EV_BATTERY -> new EvBatterySignals(rnd);
            case AssetModels.INDUSTRIAL_PUMP -> new PumpSignals(rnd);
            case AssetModels.PATIENT_WEARABLE -> new WearableSignals(rnd);
            default -> new GenericSignals(model, rnd);
        };
    }

    /** Ornstein-Uhlenbeck step: mean-reverting noise, the workhorse of slow natural variation. */
    static double ou(double x, double mean, double theta, double sigma, double dtSeconds, SplittableRandom rnd) {
        return x + theta * (mean - x) * dtSeconds + sigma * Math.sqrt(dtSeconds) * rnd.nextGaussian();
    }

    /** First-order lag of {@code x} toward {@code target} with time constant {@code tauSeconds}. */
    static double lag(double x, double target, double tauSeconds, double dtSeconds) {
        return x + (target - x) * (1 - Math.exp(-dtSeconds / tauSeconds));
    }
}
