package org.tollgate.api.prepaid;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Real-time prepaid call control, for every network front end alike (RADIUS, Diameter
 * Credit-Control, the SIP proxy). Money for a call is reserved before it runs, debited with the
 * price postpaid rating gives the same call when it ends, and released when it fails. Every
 * step is idempotent: a retransmitted request gets the same answer and never a second debit.
 * The futures complete within a bounded time even when the database hangs ({@link
 * Grant.Result#UNAVAILABLE}).
 */
public interface PrepaidService {

    /** Reserves money for the first grant of a call. Asked again for the same call, answers as the first time. */
    CompletableFuture<Grant> authorize(CallRequest request);

    /** Accounts for the seconds used so far and reserves money for the next grant. */
    CompletableFuture<Grant> reauthorize(CallReport report);

    /**
     * Debits the call's price and releases what was reserved beyond it. A call that lasted 0 s,
     * or never connected, is released without a debit. A call whose reservation expired (it never
     * reported back) is still debited; a call already debited is not debited again.
     */
    CompletableFuture<Settlement> commit(CallEnd end);

    /** Gives back everything reserved for a call that never connected (a failed or cancelled call). */
    default CompletableFuture<Settlement> release(CallKey call, java.time.Instant at, String source) {
        return commit(new CallEnd(call, null, 0, null, at, source));
    }

    /**
     * Gives back the money held for a call that stopped reporting (its network's supervision timer
     * ran out, e.g. Diameter's Tcc) and flags it EXPIRED; a late end is still debited, once.
     * Completes true when it was open and is now expired.
     */
    CompletableFuture<Boolean> expire(CallKey call, java.time.Instant at);

    /**
     * The calls of CDRs: debits those the ledger has no debit for yet (a Stop that never reached
     * prepaid), and answers every call's debit as the ledger has it. For the nightly rating.
     */
    List<Settlement> settle(List<CallEnd> ends);
}
