package org.tollgate.api.rating;

import java.time.Instant;

/**
 * The CDR job's rating step, as the CDR engine sees it: passes over the CDRs the pairing queued
 * (new, corrected, superseded), a chunk per transaction, then the day totals of what changed.
 */
public interface CdrRating {

    /** CDRs priced per committed chunk. */
    int chunkSize();

    /** A pass with plans and accounts read anew (a tariff imported since the last run applies). */
    Pass newPass();

    /** One pass: its chunks run in the caller's transaction. */
    interface Pass {

        /** The database's clock, which stamps prices: a pass's start must be read from it too. */
        Instant databaseNow();

        /** Prices up to {@code size} queued CDRs; a chunk of 0 means none are left. */
        Chunk rateChunk(int size);

        /** Recomputes the daily totals of every account and day priced since {@code since}. */
        int refreshTotals(Instant since);
    }

    /** What one chunk did: CDRs priced, left UNRATED, and superseded ones whose price was removed. */
    record Chunk(int rated, int unrated, int removed) {
        /** Queued CDRs handled; 0 when the queue is empty. */
        public int total() {
            return rated + unrated + removed;
        }
    }
}
