package org.tollgate.proxy.sip;

import javax.sip.address.SipURI;
import javax.sip.address.TelURL;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.ToHeader;
import javax.sip.message.Message;

/** Small readers over JAIN-SIP messages. */
public final class Headers {

    private Headers() {
    }

    public static String callId(Message m) {
        return ((CallIdHeader) m.getHeader(CallIdHeader.NAME)).getCallId();
    }

    public static FromHeader from(Message m) {
        return (FromHeader) m.getHeader(FromHeader.NAME);
    }

    public static ToHeader to(Message m) {
        return (ToHeader) m.getHeader(ToHeader.NAME);
    }

    public static CSeqHeader cseq(Message m) {
        return (CSeqHeader) m.getHeader(CSeqHeader.NAME);
    }

    /** The user part of a sip:/sips: URI, or the number of a tel: URI, or null. */
    public static String user(URI uri) {
        if (uri instanceof SipURI s) {
            return s.getUser();
        }
        if (uri instanceof TelURL t) {
            return t.getPhoneNumber();
        }
        return null;
    }

    public static String host(URI uri) {
        return uri instanceof SipURI s ? s.getHost() : null;
    }

    /** "user@host" of a URI (the acc module's User-Name form), or the URI text. */
    public static String aor(URI uri) {
        if (uri instanceof SipURI s) {
            return s.getUser() == null ? s.getHost() : s.getUser() + "@" + s.getHost();
        }
        return uri.toString();
    }

    /** The URI without parameters or headers, "sip:user@host[:port]". */
    public static String plain(URI uri) {
        if (uri instanceof SipURI s) {
            StringBuilder b = new StringBuilder(s.getScheme()).append(':');
            if (s.getUser() != null) {
                b.append(s.getUser()).append('@');
            }
            b.append(s.getHost());
            if (s.getPort() > 0) {
                b.append(':').append(s.getPort());
            }
            return b.toString();
        }
        return uri.toString();
    }

    /** The value of a header as sent, without the name, or null. */
    public static String value(Message m, String name) {
        Header h = m.getHeader(name);
        if (h == null) {
            return null;
        }
        String s = h.toString();
        int colon = s.indexOf(':');
        return (colon < 0 ? s : s.substring(colon + 1)).trim();
    }
}
