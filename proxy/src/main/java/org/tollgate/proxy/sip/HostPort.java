package org.tollgate.proxy.sip;

import java.util.Locale;

import javax.sip.address.SipURI;
import javax.sip.address.URI;

/**
 * Where a SIP URI or a source points, to compare one with another: the host (lower case, an
 * address literal in Java's spelling) and the port (5060, or 5061 for sips, when none is given).
 */
public record HostPort(String host, int port) {

    public static HostPort of(String host, int port, boolean secure) {
        if (host == null || host.isEmpty()) {
            return null;
        }
        String ip = IpLiteral.normalized(host);
        return new HostPort(ip != null ? ip : host.toLowerCase(Locale.ROOT), port > 0 ? port : secure ? 5061 : 5060);
    }

    /** A request's target or next hop; null for what is not a SIP URI (tel:, ...). */
    public static HostPort of(URI uri) {
        return uri instanceof SipURI s ? of(s.getHost(), s.getPort(), s.isSecure()) : null;
    }

    /** A SIP URI as text, e.g. a stored contact {@code <sip:101@192.0.2.7:5070;transport=tcp>}; null when it is none. */
    public static HostPort parse(String uri) {
        if (uri == null) {
            return null;
        }
        String s = uri.trim();
        if (s.startsWith("<")) {
            s = s.substring(1);
        }
        boolean secure = s.regionMatches(true, 0, "sips:", 0, 5);
        if (!secure && !s.regionMatches(true, 0, "sip:", 0, 4)) {
            return null;
        }
        // userinfo may hold ';' and '?', parameters and headers never an unescaped '@'
        int start = Math.max(s.indexOf(':') + 1, s.lastIndexOf('@') + 1);
        String host;
        int at;
        if (start < s.length() && s.charAt(start) == '[') {
            int close = s.indexOf(']', start);
            if (close < 0) {
                return null;
            }
            host = s.substring(start, close + 1);
            at = close + 1;
        } else {
            at = start;
            while (at < s.length() && ":;?>".indexOf(s.charAt(at)) < 0) {
                at++;
            }
            host = s.substring(start, at);
        }
        int port = -1;
        if (at < s.length() && s.charAt(at) == ':') {
            int end = at + 1;
            while (end < s.length() && Character.isDigit(s.charAt(end)) && end - at <= 5) {
                end++;
            }
            try {
                port = Integer.parseInt(s.substring(at + 1, end));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return of(host, port, secure);
    }

    /** A binding's received address as the registrar stores it, "transport:ip:port"; null when it is none. */
    public static HostPort received(String text) {
        if (text == null) {
            return null;
        }
        int first = text.indexOf(':');
        int last = text.lastIndexOf(':');
        if (first < 0 || last <= first) {
            return null;
        }
        try {
            return of(text.substring(first + 1, last), Integer.parseInt(text.substring(last + 1)), false);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
