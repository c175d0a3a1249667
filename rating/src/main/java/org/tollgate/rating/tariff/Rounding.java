package org.tollgate.rating.tariff;

import java.math.RoundingMode;
import java.util.Objects;

/**
 * How a plan rounds money: to {@code decimals} places with {@code mode} (HALF_UP, UP or DOWN),
 * once per call (the default) or per billed increment.
 */
public record Rounding(int decimals, RoundingMode mode, boolean perIncrement) {

    public Rounding {
        if (decimals < 0 || decimals > 6) {
            throw new IllegalArgumentException("decimals must be 0 to 6 (NUMERIC(18,6))");
        }
        Objects.requireNonNull(mode, "rounding mode");
        if (mode != RoundingMode.HALF_UP && mode != RoundingMode.UP && mode != RoundingMode.DOWN) {
            throw new IllegalArgumentException("rounding must be half-up, up or down");
        }
    }
}
