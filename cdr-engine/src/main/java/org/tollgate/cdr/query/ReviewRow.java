package org.tollgate.cdr.query;

import java.time.Instant;
import java.util.UUID;

/** An open {@code cdr_review} row: an accounting record in no CDR, and why. */
public record ReviewRow(UUID recordKey, String callId, String reason, String detail, Instant eventTime,
                        Instant createdAt) {
}
