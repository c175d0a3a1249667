package org.tollgate.prepaid.reservation;

import java.time.Instant;

import org.tollgate.api.prepaid.CallEnd;
import org.tollgate.api.prepaid.CallKey;
import org.tollgate.api.prepaid.CallReport;
import org.tollgate.api.prepaid.CallRequest;

/** One step of a call, as the writers apply it under its account's lock. */
sealed interface Operation {

    CallKey call();

    /** The first authorization; answered with a Grant. */
    record Authorize(CallRequest request) implements Operation {
        public CallKey call() {
            return request.call();
        }
    }

    /** Used time reported, more asked for; answered with a Grant. */
    record Report(CallReport report) implements Operation {
        public CallKey call() {
            return report.call();
        }
    }

    /** The call is over (a Stop, a CCR-Terminate, a CDR); answered with a Settlement. */
    record End(CallEnd end) implements Operation {
        public CallKey call() {
            return end.call();
        }
    }

    /** Releases the call's money if it is still open past its expiry at {@code now}; answered true if it did. */
    /** {@code supervised}: the network's own timer ran out, so the grant's end does not matter. */
    record Expire(CallKey call, Instant now, boolean supervised) implements Operation {
    }
}
