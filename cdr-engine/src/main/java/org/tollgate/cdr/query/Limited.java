package org.tollgate.cdr.query;

import java.util.List;

/**
 * Rows cut at a limit, and whether more matched, so an operator is told a listing is incomplete
 * instead of taking it for all there is.
 */
public record Limited<T>(List<T> rows, boolean more) {

    public Limited {
        rows = List.copyOf(rows);
    }
}
