package org.tollgate.prepaid.reservation;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A prepaid call's row in {@code prepaid_reservation}, as a batch reads and changes it: what is
 * held for it, what it was granted, the last answer given (for retransmissions), how it ended.
 */
final class Reservation {

    enum State { OPEN, EXPIRED, COMMITTED, RELEASED, REFUSED }

    final long accountId;
    final String callId;
    State state;
    String destination;
    Instant authorizedAt;
    /** when its time counts from: the answer when the network said, else the authorization */
    Instant startAt;
    boolean answered;
    long grantedSeconds;
    long usedSeconds;
    BigDecimal held = BigDecimal.ZERO;
    Instant expiresAt;
    Instant expiredAt;
    int seq;
    StoredAnswer answer;
    BigDecimal debit;
    BigDecimal balanceAfter;
    String source;
    /** read from the database (else made by this batch) */
    boolean stored;

    /** The last answer to an authorization or report, given again to a retransmission. */
    record StoredAnswer(String result, long seconds, BigDecimal reserved, BigDecimal available, boolean last,
                        String reason) { }

    Reservation(long accountId, String callId) {
        this.accountId = accountId;
        this.callId = callId;
    }

    boolean over() {
        return state == State.COMMITTED || state == State.RELEASED;
    }
}
