package org.tollgate.cdr.pairing;

import java.time.Instant;
import java.util.List;

/**
 * What one Call-ID pairs into. {@code revisitAt} is set when some of its rows wait (a Start for its
 * Stop, a Stop for its Start) and the call must be paired again then.
 */
public record PairingResult(String callId, List<Cdr> cdrs, List<ReviewItem> reviews, Instant revisitAt,
                            String pendingReason) {

    public PairingResult {
        cdrs = List.copyOf(cdrs);
        reviews = List.copyOf(reviews);
    }
}
