package org.tollgate.proxy.sip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * IP address literals in one spelling, Java's ({@code ::1} is {@code 0:0:0:0:0:0:0:1}), which is
 * how the SIP stack reports sources: text written by people or peers compares with it. Never a
 * DNS look-up: what is not a literal is not an address here.
 */
public final class IpLiteral {

    private static final Pattern V4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern V6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private IpLiteral() {
    }

    /** The address in Java's spelling, or null when {@code text} is not an IPv4 or IPv6 literal (brackets allowed). */
    public static String normalized(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim();
        if (s.length() > 2 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']') {
            s = s.substring(1, s.length() - 1);
        }
        if (V4.matcher(s).matches()) {
            return s;
        }
        if (!V6.matcher(s).matches()) {
            return null;
        }
        try {
            // with a colon this is parsed as an IPv6 literal or refused, never looked up
            return InetAddress.getByName(s).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
