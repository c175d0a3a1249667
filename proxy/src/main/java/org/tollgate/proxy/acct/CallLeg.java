package org.tollgate.proxy.acct;

import java.time.Instant;
import java.util.List;

import org.tollgate.proxy.aaa.AccountingRecord.Attribute;

/**
 * What accounting keeps of a call's initial INVITE, in the INVITE's direction: the caller
 * (From) and callee (To) URIs and the caller's tag, CSeq, the source, who is billed
 * (User-Name), the extra attributes evaluated on the INVITE and when it arrived (null when
 * not known, e.g. a dialog restored after a restart).
 */
public record CallLeg(String callId, String fromUri, String fromTag, String toUri, String cseq,
                      String userName, String srcIp, int srcPort, List<Attribute> extra, List<Hop> legs,
                      Instant invitedAt) {

    /** One leg of a forwarded call: who placed it (or forwarded it) and where it went. */
    public record Hop(String src, String dst) {
    }

    public CallLeg {
        extra = List.copyOf(extra);
        legs = List.copyOf(legs);
    }

    /** This call forwarded once more, from {@code by} to {@code to}; the first forward adds the original leg. */
    public CallLeg forwarded(String originalTarget, String to) {
        java.util.List<Hop> hops = new java.util.ArrayList<>(legs);
        String by = hops.isEmpty() ? originalTarget : hops.get(hops.size() - 1).dst();
        if (hops.isEmpty()) {
            hops.add(new Hop(fromUri, originalTarget));
        }
        hops.add(new Hop(by, to));
        return new CallLeg(callId, fromUri, fromTag, toUri, cseq, userName, srcIp, srcPort, extra, hops, invitedAt);
    }
}
