package org.tollgate.cdr;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

import org.tollgate.api.TollgateAttributes;

/**
 * The CDR engine's settings (README "Configuration", keys {@code tollgate.cdr.*}).
 *
 * @param zone             the zone a CDR's day and the nightly schedule are in
 * @param grace            how long a Start may wait for its Stop (and a Stop for its Start) before repair or review
 * @param maxDuration      the length given to a call with no evidence of its end (flagged UNTERMINATED)
 * @param forkWindow       how far from an answer a failed branch of the same INVITE may be and still belong to it
 * @param settle           how far behind now an incremental run reads, so transactions still committing are not skipped
 * @param chunkSize        calls per committed chunk
 * @param legSrcAttribute  the multi-leg attribute naming each leg's source
 * @param legDstAttribute  the multi-leg attribute naming each leg's destination
 */
public record CdrSettings(ZoneId zone, Duration grace, Duration maxDuration, Duration forkWindow, Duration settle,
                          int chunkSize, String legSrcAttribute, String legDstAttribute) {

    public CdrSettings {
        Objects.requireNonNull(zone, "zone");
        requirePositive(grace, "grace");
        requirePositive(maxDuration, "max-duration");
        requirePositive(forkWindow, "fork-window");
        if (settle == null || settle.isNegative()) {
            throw new IllegalArgumentException("tollgate.cdr.settle must not be negative");
        }
        if (chunkSize < 1 || chunkSize > 100_000) {
            throw new IllegalArgumentException("tollgate.cdr.chunk-size must be between 1 and 100000, not " + chunkSize);
        }
        if (legSrcAttribute == null || legSrcAttribute.isBlank() || legDstAttribute == null || legDstAttribute.isBlank()) {
            throw new IllegalArgumentException("tollgate.cdr.leg-src-attribute and leg-dst-attribute must be set");
        }
    }

    public static CdrSettings defaults() {
        return new CdrSettings(ZoneId.of("UTC"), Duration.ofHours(2), Duration.ofHours(1), Duration.ofMinutes(10),
                Duration.ofSeconds(60), 5000, TollgateAttributes.LEG_SRC, TollgateAttributes.LEG_DST);
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("tollgate.cdr." + name + " must be positive");
        }
    }
}
