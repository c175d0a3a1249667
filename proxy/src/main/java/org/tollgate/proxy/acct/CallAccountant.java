package org.tollgate.proxy.acct;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sip.message.Request;

import org.tollgate.api.TollgateAttributes;
import org.tollgate.proxy.ProxySettings;
import org.tollgate.proxy.aaa.AccountingRecord;
import org.tollgate.proxy.aaa.AccountingRecord.Attribute;
import org.tollgate.proxy.aaa.CallAccounting;
import org.tollgate.proxy.sip.Headers;
import org.tollgate.proxy.sip.Source;

/**
 * Turns call events into accounting records with the acc module's attributes: Start on the
 * INVITE's 2xx, Stop on BYE (From/To in the INVITE's direction whoever hangs up), Failed for
 * an INVITE ending at or above 300, Interim-Update on each session refresh.
 */
public final class CallAccountant {

    private static final Map<String, String> METHOD_VALUE = Map.ofEntries(
            Map.entry("INVITE", "INVITE"), Map.entry("CANCEL", "CANCEL"), Map.entry("ACK", "ACK"),
            Map.entry("BYE", "BYE"), Map.entry("INFO", "Info"), Map.entry("OPTIONS", "Options"),
            Map.entry("UPDATE", "Update"), Map.entry("REGISTER", "Register"), Map.entry("MESSAGE", "Message"),
            Map.entry("SUBSCRIBE", "Subscribe"), Map.entry("NOTIFY", "Notify"), Map.entry("PRACK", "Prack"),
            Map.entry("REFER", "Refer"));

    private final CallAccounting sink;
    private final ProxySettings.Accounting switches;
    private final ExtraAttributes extra;
    private final List<ProxySettings.ExtraAttribute> legInfo;
    private final Clock clock;

    public CallAccountant(CallAccounting sink, ProxySettings.Accounting switches, Clock clock) {
        this.sink = sink;
        this.switches = switches;
        this.extra = new ExtraAttributes(switches.extra());
        this.legInfo = switches.multiLegInfo().stream().map(ProxySettings.ExtraAttribute::parseLeg).toList();
        this.clock = clock;
    }

    /** What the call's records keep of its initial INVITE; {@code userName} is who is billed. */
    public CallLeg leg(Request invite, Source src, String userName) {
        return new CallLeg(Headers.callId(invite),
                Headers.plain(Headers.from(invite).getAddress().getURI()),
                Headers.from(invite).getTag(),
                Headers.plain(Headers.to(invite).getAddress().getURI()),
                Long.toString(Headers.cseq(invite).getSeqNumber()),
                userName, src.ip(), src.port(), extra.evaluate(invite, src), List.of(),
                // whole seconds, as Event-Timestamp: a setup time must not look later than the answer
                Instant.now(clock).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    public void start(CallLeg leg, String toTag, int code, String translated, long sessionInterval) {
        List<Attribute> more = new ArrayList<>(2);
        if (sessionInterval > 0) {
            more.add(new Attribute("Acct-Interim-Interval", Long.toString(sessionInterval)));
        }
        setupTime(leg, more);
        emit("Start", "INVITE", code, leg, toTag, leg.cseq(), leg.srcIp(), leg.srcPort(), translated, leg.extra(), more);
    }

    /** A provisional answer with a body (early media), reported as the acc module does when asked. */
    public void earlyMedia(CallLeg leg, String toTag, int code, String translated) {
        if (switches.earlyMedia()) {
            emit("Start", "INVITE", code, leg, toTag, leg.cseq(), leg.srcIp(), leg.srcPort(), translated, leg.extra(), List.of());
        }
    }

    /** A missed call: the INVITE ended with a final answer at or above 300 ({@code reason}: its phrase, kept for the CDR). */
    public void failed(CallLeg leg, String toTag, int code, String reason, String translated) {
        List<Attribute> more = new ArrayList<>(2);
        if (reason != null && !reason.isEmpty()) {
            more.add(new Attribute(TollgateAttributes.SIP_REASON, reason));
        }
        setupTime(leg, more);
        emit("Failed", "INVITE", code, leg, toTag, leg.cseq(), leg.srcIp(), leg.srcPort(), translated, leg.extra(), more);
    }

    /** When the INVITE arrived, for the CDR's setup time (the acc module's records have no such attribute). */
    private static void setupTime(CallLeg leg, List<Attribute> more) {
        if (leg.invitedAt() != null) {
            more.add(new Attribute(TollgateAttributes.SETUP_TIME, leg.invitedAt().toString()));
        }
    }

    /**
     * The end of an answered call. {@code request} is the BYE (null when the proxy ended the
     * dialog itself); {@code cause} an Acct-Terminate-Cause name or null.
     */
    public void stop(CallLeg leg, String calleeTag, Request request, Source src, int code, String translated,
                     String cause, long sessionSeconds) {
        stop(leg, calleeTag, request, src, code, translated, cause, null, sessionSeconds);
    }

    /** As above; {@code reason} (Tollgate-Terminate-Reason) says why the proxy ended it, e.g. credit-exhausted. */
    public void stop(CallLeg leg, String calleeTag, Request request, Source src, int code, String translated,
                     String cause, String reason, long sessionSeconds) {
        stop(leg, calleeTag, request, src, code, translated, cause, reason, sessionSeconds, Instant.now(clock));
    }

    /** As above, the call ended {@code at} (Event-Timestamp): the proxy ending a call at its last media packet. */
    public void stop(CallLeg leg, String calleeTag, Request request, Source src, int code, String translated,
                     String cause, String reason, long sessionSeconds, Instant at) {
        List<Attribute> more = new ArrayList<>(3);
        more.add(new Attribute("Acct-Session-Time", Long.toString(Math.max(0, sessionSeconds))));
        if (cause != null) {
            more.add(new Attribute("Acct-Terminate-Cause", cause));
        }
        if (reason != null) {
            more.add(new Attribute(TollgateAttributes.TERMINATE_REASON, reason));
        }
        String cseq = request == null ? leg.cseq() : Long.toString(Headers.cseq(request).getSeqNumber());
        List<Attribute> extras = request == null ? leg.extra() : extra.evaluate(request, src);
        emit("Stop", request == null ? "BYE" : request.getMethod(), code, leg, calleeTag, cseq,
                src == null ? leg.srcIp() : src.ip(), src == null ? leg.srcPort() : src.port(),
                translated, extras, more, at);
    }

    /** A session refresh (re-INVITE or UPDATE answered 2xx). */
    public void interim(CallLeg leg, String calleeTag, Request request, Source src, int code, String translated,
                        long sessionInterval) {
        List<Attribute> more = sessionInterval > 0
                ? List.of(new Attribute("Acct-Interim-Interval", Long.toString(sessionInterval)))
                : List.of();
        emit("Interim-Update", request.getMethod(), code, leg, calleeTag,
                Long.toString(Headers.cseq(request).getSeqNumber()), src.ip(), src.port(), translated,
                extra.evaluate(request, src), more);
    }

    /** A CANCEL transaction, accounted only with report-cancels (the acc module reports it as a Stop). */
    public void cancel(CallLeg leg, Request cancel, Source src, int code) {
        if (switches.reportCancels()) {
            emit("Stop", "CANCEL", code, leg, null, Long.toString(Headers.cseq(cancel).getSeqNumber()),
                    src.ip(), src.port(), null, extra.evaluate(cancel, src), List.of());
        }
    }

    /** Any other transaction that failed (at or above 300), accounted only with failed-transactions. */
    public void failedTransaction(Request request, Source src, int code, String userName, String translated) {
        if (!switches.failedTransactions()) {
            return;
        }
        CallLeg leg = leg(request, src, userName);
        String toTag = Headers.to(request).getTag();
        emit("Failed", request.getMethod(), code, leg, toTag, leg.cseq(), src.ip(), src.port(), translated,
                leg.extra(), List.of());
    }

    private void emit(String status, String method, int code, CallLeg leg, String toTag, String cseq,
                      String srcIp, int srcPort, String translated, List<Attribute> extras, List<Attribute> more) {
        emit(status, method, code, leg, toTag, cseq, srcIp, srcPort, translated, extras, more, Instant.now(clock));
    }

    private void emit(String status, String method, int code, CallLeg leg, String toTag, String cseq,
                      String srcIp, int srcPort, String translated, List<Attribute> extras, List<Attribute> more,
                      Instant at) {
        List<Attribute> a = new ArrayList<>(20);
        a.add(new Attribute("Service-Type", "Sip-Session"));
        a.add(new Attribute("Sip-Method", METHOD_VALUE.getOrDefault(method.toUpperCase(Locale.ROOT), "Other")));
        a.add(new Attribute("Sip-Response-Code", Integer.toString(code)));
        a.add(new Attribute("Acct-Session-Id", leg.callId()));
        if (leg.fromTag() != null) {
            a.add(new Attribute("Sip-From-Tag", leg.fromTag()));
        }
        if (toTag != null) {
            a.add(new Attribute("Sip-To-Tag", toTag));
        }
        a.add(new Attribute("Sip-Cseq", cseq));
        if (leg.userName() != null) {
            a.add(new Attribute("User-Name", leg.userName()));
        }
        a.add(new Attribute("Calling-Station-Id", leg.fromUri()));
        a.add(new Attribute("Called-Station-Id", leg.toUri()));
        if (translated != null) {
            a.add(new Attribute("Sip-Translated-Request-URI", translated));
        }
        a.add(new Attribute("Sip-Src-IP", srcIp));
        a.add(new Attribute("Sip-Src-Port", Integer.toString(srcPort)));
        a.addAll(more);
        a.addAll(extras);
        // multi-leg info: every leg of a forwarded call, in order, as the acc module's multi_leg_info
        for (CallLeg.Hop hop : leg.legs()) {
            for (ProxySettings.ExtraAttribute item : legInfo) {
                a.add(new Attribute(item.attribute(), item.source().equals("$src") ? hop.src() : hop.dst()));
            }
        }
        sink.send(new AccountingRecord(status, at, a));
    }
}
