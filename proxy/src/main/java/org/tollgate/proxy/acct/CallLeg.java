package org.tollgate.proxy.acct;

import java.util.List;

import org.tollgate.proxy.aaa.AccountingRecord.Attribute;

/**
 * What accounting keeps of a call's initial INVITE, in the INVITE's direction: the caller
 * (From) and callee (To) URIs and the caller's tag, CSeq, the source, who is billed
 * (User-Name) and the extra attributes evaluated on the INVITE.
 */
public record CallLeg(String callId, String fromUri, String fromTag, String toUri, String cseq,
                      String userName, String srcIp, int srcPort, List<Attribute> extra) {

    public CallLeg {
        extra = List.copyOf(extra);
    }
}
