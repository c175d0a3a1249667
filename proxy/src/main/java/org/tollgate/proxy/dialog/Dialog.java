package org.tollgate.proxy.dialog;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.tollgate.proxy.acct.CallLeg;

/**
 * A confirmed call as the proxy sees it, from the INVITE's 2xx to its end. Holds what is
 * needed to account its end and to end it with a BYE to each side: the INVITE's From (with
 * the caller's tag) and To (with the callee's tag), both contacts, the route set and the
 * highest CSeq each side has used.
 */
public final class Dialog {

    private final CallLeg leg;
    private final String calleeTag;
    private final String fromHeader;
    private final String toHeader;
    private final String callerContact;
    private final String calleeContact;
    private final List<String> routeSet;
    private final String translated;
    private final Instant answeredAt;
    private final AtomicLong callerCSeq;
    private final AtomicLong calleeCSeq;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Instant lastRefresh;
    private volatile long interval;
    private volatile Instant sessionExpiry;
    private final Instant deadline;
    private volatile PrepaidCall prepaid;
    private volatile java.util.concurrent.ScheduledFuture<?> timer;
    private volatile boolean relayed;
    private volatile Instant lastMedia;

    /**
     * @param routeSet  the 2xx's Record-Route values, as received (callee side first)
     * @param interval  session interval in seconds (0 = no session timer)
     * @param expiresAt when the proxy ends the dialog if nothing refreshes it
     * @param deadline  when the proxy ends the call whatever refreshes it (its longest duration), or null
     */
    public Dialog(CallLeg leg, String calleeTag, String fromHeader, String toHeader, String callerContact,
                  String calleeContact, List<String> routeSet, String translated, Instant answeredAt,
                  long callerCSeq, long calleeCSeq, Instant lastRefresh, long interval, Instant expiresAt,
                  Instant deadline) {
        this.leg = leg;
        this.calleeTag = calleeTag;
        this.fromHeader = fromHeader;
        this.toHeader = toHeader;
        this.callerContact = callerContact;
        this.calleeContact = calleeContact;
        this.routeSet = List.copyOf(routeSet);
        this.translated = translated;
        this.answeredAt = answeredAt;
        this.callerCSeq = new AtomicLong(callerCSeq);
        this.calleeCSeq = new AtomicLong(calleeCSeq);
        this.lastRefresh = lastRefresh;
        this.interval = interval;
        this.deadline = deadline;
        this.sessionExpiry = expiresAt;
    }

    /** Makes this a prepaid call: it ends at the end of its grant unless a re-authorization extends it. */
    public Dialog prepaid(PrepaidCall p) {
        this.prepaid = p;
        return this;
    }

    /** The prepaid call's grant, or null for a call without one. */
    public PrepaidCall prepaid() {
        return prepaid;
    }

    /** Marks the call's media as going through the media relay, which then watches it. */
    public Dialog relayed(boolean r) {
        this.relayed = r;
        return this;
    }

    public boolean relayed() {
        return relayed;
    }

    /** The last media packet the relay had seen when last asked, or null. */
    public Instant lastMedia() {
        return lastMedia;
    }

    /** Notes the relay's last packet; true when it is later than the one known (the media moved on). */
    public synchronized boolean sawMedia(Instant at) {
        if (lastMedia != null && !at.isAfter(lastMedia)) {
            return false;
        }
        lastMedia = at;
        return true;
    }

    /** The pending expiry check, cancelled when the dialog goes. */
    void timer(java.util.concurrent.ScheduledFuture<?> t) {
        this.timer = t;
    }

    void cancelTimer() {
        java.util.concurrent.ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }

    public static String key(String callId, String tagA, String tagB) {
        String a = tagA == null ? "" : tagA;
        String b = tagB == null ? "" : tagB;
        return a.compareTo(b) <= 0 ? callId + '\n' + a + '\n' + b : callId + '\n' + b + '\n' + a;
    }

    public String key() {
        return key(leg.callId(), leg.fromTag(), calleeTag);
    }

    /** True when a request with this From tag comes from the caller. */
    public boolean fromCaller(String fromTag) {
        return fromTag != null && fromTag.equals(leg.fromTag());
    }

    /** Records a CSeq a side used, so a proxy-sent BYE uses a higher one. */
    public void sawCSeq(boolean fromCaller, long cseq) {
        (fromCaller ? callerCSeq : calleeCSeq).accumulateAndGet(cseq, Math::max);
    }

    public long nextCSeq(boolean asCaller) {
        return (asCaller ? callerCSeq : calleeCSeq).incrementAndGet();
    }

    public void refreshed(Instant at, long newInterval, Instant newExpiry) {
        this.lastRefresh = at;
        this.interval = newInterval;
        this.sessionExpiry = newExpiry; // a refresh never takes a call past its deadline: see expiresAt()
    }

    /** Marks the dialog ended; true only for the first caller, so its end is accounted once. */
    public boolean end() {
        return ended.compareAndSet(false, true);
    }

    public boolean ended() {
        return ended.get();
    }

    public long secondsSinceAnswer(Instant now) {
        return Duration.between(answeredAt, now).toSeconds();
    }

    public CallLeg leg() {
        return leg;
    }

    public String calleeTag() {
        return calleeTag;
    }

    public String fromHeader() {
        return fromHeader;
    }

    public String toHeader() {
        return toHeader;
    }

    public String callerContact() {
        return callerContact;
    }

    public String calleeContact() {
        return calleeContact;
    }

    public List<String> routeSet() {
        return routeSet;
    }

    public String translated() {
        return translated;
    }

    public Instant answeredAt() {
        return answeredAt;
    }

    public long callerCSeq() {
        return callerCSeq.get();
    }

    public long calleeCSeq() {
        return calleeCSeq.get();
    }

    public Instant lastRefresh() {
        return lastRefresh;
    }

    public long interval() {
        return interval;
    }

    /** When the proxy ends the call unless something moves it: its session expiry, capped at its deadline. */
    public Instant expiresAt() {
        Instant d = deadline();
        return d != null && d.isBefore(sessionExpiry) ? d : sessionExpiry;
    }

    /** When the call ends whatever refreshes it (its longest duration, or the end of its prepaid grant), or null. */
    public Instant deadline() {
        PrepaidCall p = prepaid;
        Instant grantEnd = p == null ? null : p.grantEnd();
        if (grantEnd == null) {
            return deadline;
        }
        return deadline != null && deadline.isBefore(grantEnd) ? deadline : grantEnd;
    }

    /** True when the call's end is its prepaid grant's rather than its longest duration's. */
    public boolean grantEndsIt() {
        PrepaidCall p = prepaid;
        return p != null && p.grantEnd() != null && (deadline == null || !deadline.isBefore(p.grantEnd()));
    }
}
