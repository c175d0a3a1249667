package org.tollgate.proxy.dialog;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import org.tollgate.proxy.aaa.CallAuthorization;
import org.tollgate.proxy.aaa.DigestCheck;

/**
 * A prepaid call's money as the proxy knows it: until when its grants pay ({@code grantEnd}, from
 * the answer), whether more may be asked for ({@code renewable}: the last Accept said
 * Termination-Action = RADIUS-Request), and how to ask (the caller's credentials, or none for a
 * trusted caller, and the call's authorization). Kept in memory only: a dialog restored after a
 * restart ends at the end of its grant (stored as its deadline) and is never extended.
 */
public final class PrepaidCall {

    /** Why the grant stopped being extended, for the Stop. */
    public enum Limit {
        /** the server granted no more: the credit ran out */
        CREDIT,
        /** no server answered, the call ended at its grant (failure handling TERMINATE) */
        AAA_UNAVAILABLE,
        /** no server answered, the call let through up to the failure maximum (CONTINUE) */
        AAA_UNAVAILABLE_CAPPED
    }

    private final String user;
    private final DigestCheck credentials;
    private final CallAuthorization call;
    private final long grantSeconds;
    private volatile Instant grantEnd;
    private volatile boolean renewable;
    private volatile long lastGrant;
    private volatile Limit limit = Limit.CREDIT;
    private volatile ScheduledFuture<?> reauthorization;

    /**
     * @param grantSeconds the first grant, counted from the answer
     * @param credentials  the caller's digest (sent again with each re-authorization), or null for a trusted caller
     */
    public PrepaidCall(String user, DigestCheck credentials, CallAuthorization call, long grantSeconds, boolean renewable) {
        this.user = user;
        this.credentials = credentials;
        this.call = call;
        this.grantSeconds = grantSeconds;
        this.lastGrant = grantSeconds;
        this.renewable = renewable;
    }

    /** The call was answered at {@code at}: its first grant runs from then. */
    public void answered(Instant at) {
        grantEnd = at.plusSeconds(grantSeconds);
    }

    /** A new grant: the call may last until {@code end}; {@code more} when it may ask again. */
    public void granted(Instant end, long seconds, boolean more) {
        grantEnd = end;
        lastGrant = seconds;
        renewable = more;
    }

    /** No more grants: the call ends at {@code end} (its current grant's end, or the failure maximum). */
    public void last(Instant end, Limit why) {
        grantEnd = end;
        limit = why;
        renewable = false;
    }

    /** The account is no longer prepaid: money no longer limits the call. */
    public void lifted() {
        grantEnd = null;
        renewable = false;
    }

    public void reauthorization(ScheduledFuture<?> f) {
        reauthorization = f;
    }

    /** Stops asking for more (the call ended). */
    public void cancel() {
        ScheduledFuture<?> f = reauthorization;
        if (f != null) {
            f.cancel(false);
        }
    }

    public String user() {
        return user;
    }

    public DigestCheck credentials() {
        return credentials;
    }

    public CallAuthorization call() {
        return call;
    }

    /** The latest grant's seconds. */
    public long lastGrant() {
        return lastGrant;
    }

    /** When the money granted so far runs out (null before the answer, or when money no longer limits the call). */
    public Instant grantEnd() {
        return grantEnd;
    }

    public boolean renewable() {
        return renewable;
    }

    public Limit limit() {
        return limit;
    }
}
