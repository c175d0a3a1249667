package org.tollgate.rating.plan;

import java.math.RoundingMode;
import java.util.List;

/** A plan as {@code plan list} shows it. */
public record PlanSummary(String name, String currency, int decimals, RoundingMode rounding, boolean perIncrement,
                          boolean chargeFailed, List<String> bands, int holidays, long rates) {
}
