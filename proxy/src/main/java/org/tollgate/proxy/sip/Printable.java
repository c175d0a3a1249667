package org.tollgate.proxy.sip;

/**
 * What anyone may send — a user name, a parser's complaint quoting a request — made safe for one
 * log line: no control characters (a CR or LF would forge a line), bounded length.
 */
public final class Printable {

    private Printable() {
    }

    /** Control characters as '?', at most {@code max} characters ("…" marks a cut); null as "-". */
    public static String text(String s, int max) {
        return clean(s, max, false);
    }

    /** As {@link #text}, any space too as '?' (NBSP included): one word, for a field fail2ban's pattern matches with \S+. */
    public static String word(String s, int max) {
        return clean(s, max, true);
    }

    private static String clean(String s, int max, boolean word) {
        if (s == null) {
            return "-";
        }
        int n = Math.min(s.length(), max);
        StringBuilder b = new StringBuilder(n + 1);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0;
            b.append(control || word && (Character.isWhitespace(c) || Character.isSpaceChar(c)) ? '?' : c);
        }
        return s.length() > max ? b.append('…').toString() : b.toString();
    }
}
