package org.tollgate.proxy.sip;

import javax.sip.RequestEvent;
import javax.sip.header.ViaHeader;

import gov.nist.javax.sip.RequestEventExt;

/** Where a request came from: the packet's source address and port and the transport. */
public record Source(String ip, int port, String transport) {

    public static Source of(RequestEvent ev) {
        String transport = "udp";
        ViaHeader via = (ViaHeader) ev.getRequest().getHeader(ViaHeader.NAME);
        if (via != null && via.getTransport() != null) {
            transport = via.getTransport().toLowerCase();
        }
        if (ev instanceof RequestEventExt ext) {
            return new Source(ext.getRemoteIpAddress(), ext.getRemotePort(), transport);
        }
        return new Source(via == null ? "" : via.getHost(), via == null ? 0 : via.getPort(), transport);
    }
}
