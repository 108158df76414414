package io.twinstream.generator.signals;

import java.util.SplittableRandom;

/**
 * A pack that drives (discharge with varying current), charges at constant current to 90 %, and
 * rests. Voltage follows state of charge minus the IR drop; cells warm with I squared.
 * Sensors: state_of_charge_pct, pack_voltage_v, current_a, cell_temp_c.
 */
final class EvBatterySignals implements SignalModel {
    private static final double CAPACITY_AH = 150, CELLS = 96, INTERNAL_OHM = 0.06;

    private enum Phase { DRIVE, CHARGE, REST }

    private Phase phase;
    private double soc;
    private double current;
    private double driveMean;
    private double cellTemp = 25;
    private double phaseLeftS;

    EvBatterySignals(SplittableRandom rnd) {
        soc = 40 + 50 * rnd.nextDouble();
        phase = Phase.DRIVE;
        driveMean = 40 + 60 * rnd.nextDouble();
        current = driveMean;
        phaseLeftS = 600 + 1200 * rnd.nextDouble();
    }

    @Override
    public void next(long dtMs, SplittableRandom rnd, double[] out) {
        double dt = dtMs / 1000.0;
        phaseLeftS -= dt;
        double target = switch (phase) {
            case DRIVE -> driveMean;
            case CHARGE -> -100;
            case REST -> 0;
        };
        // current ramps toward its target over ~20 s: contactors and chargers don't step instantly
        current = SignalModel.lag(current, target, 20, dt);
        if (phase == Phase.DRIVE) {
            current = SignalModel.ou(current, driveMean, 0.05, 2.0, dt, rnd);
        }
        soc = Math.max(0, Math.min(100, soc - current * dt / 3600 / CAPACITY_AH * 100));
        if (phase == Phase.DRIVE && (soc < 20 || phaseLeftS <= 0)) {
            phase = Phase.CHARGE;
        } else if (phase == Phase.CHARGE && soc >= 90) {
            phase = Phase.REST;
            phaseLeftS = 300 + 600 * rnd.nextDouble();
        } else if (phase == Phase.REST && phaseLeftS <= 0) {
            phase = Phase.DRIVE;
            driveMean = 40 + 60 * rnd.nextDouble();
            phaseLeftS = 600 + 1200 * rnd.nextDouble();
        }
        double openCircuit = CELLS * (3.45 + 0.75 * soc / 100);
        cellTemp = SignalModel.lag(cellTemp, 25 + 0.0004 * current * current, 900, dt);
        out[0] = soc + 0.05 * rnd.nextGaussian();
        out[1] = openCircuit - current * INTERNAL_OHM + 0.3 * rnd.nextGaussian();
        out[2] = current + 0.5 * rnd.nextGaussian();
        out[3] = cellTemp + 0.1 * rnd.nextGaussian();
    }

    @Override
    public int[] wearSensors() {
        return new int[] {3};
    }
}
