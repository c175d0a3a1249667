package org.tollgate.cdr.pairing;

import java.time.Instant;
import java.util.UUID;

/** An accounting row that is in no CDR, and why. */
public record ReviewItem(UUID recordKey, String callId, Reason reason, String detail, Instant eventTime) {

    public enum Reason { STOP_WITHOUT_START, INTERIM_WITHOUT_START, NO_CALL_ID, NOT_A_CALL, NAS_STATE, UNPARSEABLE }
}
