package org.tollgate.rating.number;

/**
 * Turns what a CDR carries (sip:/tel: URIs, +E.164, 00-dialled, nationally dialled) into E.164
 * digits without '+'. National rules: a number starting with the national prefix (0) gets the
 * country code in its place; with no country code configured, national numbers stay as dialled.
 */
public final class NumberNormalizer {

    private final String internationalPrefix;
    private final String nationalPrefix;
    private final String countryCode;

    public NumberNormalizer(String internationalPrefix, String nationalPrefix, String countryCode) {
        this.internationalPrefix = internationalPrefix == null ? "" : internationalPrefix;
        this.nationalPrefix = nationalPrefix == null ? "" : nationalPrefix;
        this.countryCode = countryCode == null ? "" : countryCode;
        for (String s : new String[] {this.internationalPrefix, this.nationalPrefix, this.countryCode}) {
            if (!s.matches("\\d*")) {
                throw new IllegalArgumentException("number rule '" + s + "' is not digits");
            }
        }
    }

    public static NumberNormalizer international() {
        return new NumberNormalizer("00", "", "");
    }

    /** E.164 digits, or null when this is not a phone number. */
    public String normalize(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw;
        int at = 0;
        int end = s.length();
        while (at < end && s.charAt(at) <= ' ') { // trim, without copying
            at++;
        }
        while (end > at && s.charAt(end - 1) <= ' ') {
            end--;
        }
        if (s.regionMatches(true, at, "sip:", 0, 4) || s.regionMatches(true, at, "tel:", 0, 4)) {
            at += 4;
        } else if (s.regionMatches(true, at, "sips:", 0, 5)) {
            at += 5;
        }
        for (int i = at; i < end; i++) {
            char c = s.charAt(i);
            if (c == '@' || c == ';' || c == '?') {
                end = i;
                break;
            }
        }
        int begin = at;
        boolean plus = end > at && s.charAt(at) == '+';
        if (plus) {
            begin++;
        }
        String d = plainDigits(s, begin, end) ? s.substring(begin, end) : separatedDigits(s, begin, end, plus);
        if (d != null && d.startsWith("+")) { // a '+' after a separator, as in "(+49) 30 …"
            plus = true;
            d = d.substring(1);
        }
        if (d == null || d.isEmpty()) {
            return null;
        }
        if (plus) {
            return d;
        }
        if (!internationalPrefix.isEmpty() && d.startsWith(internationalPrefix)) {
            return d.substring(internationalPrefix.length());
        }
        if (!nationalPrefix.isEmpty() && !countryCode.isEmpty() && d.startsWith(nationalPrefix)) {
            return countryCode + d.substring(nationalPrefix.length());
        }
        return d;
    }

    private static boolean plainDigits(String s, int begin, int end) {
        for (int i = begin; i < end; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * The digits of a number written with separators (- . space parentheses), with a leading '+'
     * if one came before the digits; null for a name.
     */
    private static String separatedDigits(String s, int begin, int end, boolean plus) {
        StringBuilder digits = new StringBuilder(end - begin + 1);
        for (int i = begin; i < end; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (c == '+' && digits.length() == 0 && !plus) {
                plus = true;
                digits.append(c);
            } else if (c != '-' && c != '.' && c != ' ' && c != '(' && c != ')') {
                return null; // a name, not a number
            }
        }
        return digits.toString();
    }
}
