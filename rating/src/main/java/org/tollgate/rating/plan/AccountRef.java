package org.tollgate.rating.plan;

import java.time.ZoneId;

/** An account as rating needs it: who pays, on which plan, and the zone its time bands are read in. */
public record AccountRef(long id, String name, String plan, ZoneId zone, String kind) {
}
