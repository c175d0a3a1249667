package org.tollgate.proxy.sip;

import java.net.InetAddress;
import java.net.UnknownHostException;

import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

/**
 * Is the sender of a request behind NAT? As Kamailio's {@code nat_uac_test}: its Contact names a
 * private address (RFC 1918, shared 100.64/10, link-local, IPv6 unique-local) other than the source,
 * or its top Via names another host than the packet came from, or (over UDP) another port.
 */
public final class Nat {

    private Nat() {
    }

    public static boolean behind(Request req, Source src) {
        ContactHeader contact = (ContactHeader) req.getHeader(ContactHeader.NAME);
        if (contact != null && contact.getAddress() != null) {
            HostPort c = HostPort.of(contact.getAddress().getURI());
            if (c != null && isPrivate(c.host()) && !c.host().equals(IpLiteral.normalized(src.ip()))) {
                return true;
            }
        }
        ViaHeader via = (ViaHeader) req.getHeader(ViaHeader.NAME);
        if (via == null) {
            return false;
        }
        HostPort sentBy = HostPort.of(via.getHost(), via.getPort(), "tls".equalsIgnoreCase(via.getTransport()));
        String ip = IpLiteral.normalized(src.ip());
        return sentBy == null || !sentBy.host().equals(ip == null ? src.ip() : ip)
                || "udp".equalsIgnoreCase(src.transport()) && sentBy.port() != src.port();
    }

    /**
     * Where a contact registered from {@code received} ("transport:ip:port") is reached when its
     * phone is behind NAT — its Contact names a private address other than the source — else null.
     * A public Contact is routed to as it is, whoever registered it: another port on the source's
     * host may be a phone registered on its behalf (no binding says whether its REGISTER came
     * from behind NAT).
     */
    public static HostPort registeredBehind(URI contact, String received) {
        HostPort c = HostPort.of(contact);
        HostPort r = HostPort.received(received);
        if (c == null || r == null || c.host().equals(r.host())) {
            return null;
        }
        return isPrivate(c.host()) ? r : null;
    }

    /** A private, shared or link-local address literal (never a look-up). */
    public static boolean isPrivate(String host) {
        String ip = IpLiteral.normalized(host);
        if (ip == null) {
            return false;
        }
        try {
            InetAddress a = InetAddress.getByName(ip);
            byte[] b = a.getAddress();
            return a.isSiteLocalAddress() || a.isLinkLocalAddress()
                    || b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64
                    || b.length == 16 && (b[0] & 0xfe) == 0xfc;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
