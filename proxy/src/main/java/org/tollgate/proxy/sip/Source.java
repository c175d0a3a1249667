package org.tollgate.proxy.sip;

import javax.sip.RequestEvent;
import javax.sip.header.ViaHeader;

import gov.nist.javax.sip.RequestEventExt;
import gov.nist.javax.sip.message.SIPMessage;

/** Where a request came from: the packet's source address and port and the transport. */
public record Source(String ip, int port, String transport) {

    public static Source of(RequestEvent ev) {
        String transport = "udp";
        ViaHeader via = (ViaHeader) ev.getRequest().getHeader(ViaHeader.NAME);
        if (via != null && via.getTransport() != null) {
            transport = via.getTransport().toLowerCase();
        }
        // the packet's own source: the stack's "remote port" of a UDP request is its Via's, which a
        // phone behind NAT gets wrong
        if (ev.getRequest() instanceof SIPMessage m && m.getPeerPacketSourceAddress() != null
                && m.getPeerPacketSourcePort() > 0) {
            return new Source(m.getPeerPacketSourceAddress().getHostAddress(), m.getPeerPacketSourcePort(), transport);
        }
        if (ev instanceof RequestEventExt ext) {
            return new Source(ext.getRemoteIpAddress(), ext.getRemotePort(), transport);
        }
        return new Source(via == null ? "" : via.getHost(), via == null ? 0 : via.getPort(), transport);
    }
}
