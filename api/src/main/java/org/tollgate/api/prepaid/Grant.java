package org.tollgate.api.prepaid;

import org.tollgate.api.Money;

/**
 * The answer to an authorization: GRANTED with the seconds the call may go on for (from now),
 * the money now held for the call, and whether this is the last grant the money allows; or a
 * refusal with the reason. {@code available}: what the account can still spend after this
 * answer (balance + credit limit − everything reserved), for the network to show.
 */
public record Grant(Result result, long seconds, Money reserved, Money available, boolean last, String reason) {

    public enum Result {
        /** go ahead for {@code seconds} */
        GRANTED,
        /** the account is postpaid: no prepaid limit applies */
        POSTPAID,
        /** not even the first billing increment is paid for */
        INSUFFICIENT_CREDIT,
        /** no account of that name */
        UNKNOWN_ACCOUNT,
        /** no price for the destination */
        NO_RATE,
        /** a report or end for a call that was never authorized, or is over */
        UNKNOWN_CALL,
        /** the prepaid store could not answer in time (database down or hung) */
        UNAVAILABLE
    }

    public boolean granted() {
        return result == Result.GRANTED;
    }

    public static Grant refused(Result result, String reason) {
        if (result == Result.GRANTED) {
            throw new IllegalArgumentException("a refusal needs a reason other than GRANTED");
        }
        return new Grant(result, 0, null, null, true, reason);
    }
}
