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
        String s = raw.trim();
        int colon = s.indexOf(':');
        if (s.regionMatches(true, 0, "sip:", 0, 4) || s.regionMatches(true, 0, "sips:", 0, 5)
                || s.regionMatches(true, 0, "tel:", 0, 4)) {
            s = s.substring(colon + 1);
        }
        int end = s.length();
        for (char c : new char[] {'@', ';', '?'}) {
            int i = s.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        StringBuilder digits = new StringBuilder(end);
        boolean plus = false;
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (c == '+' && digits.length() == 0 && !plus) {
                plus = true;
            } else if (c != '-' && c != '.' && c != ' ' && c != '(' && c != ')') {
                return null; // a name, not a number
            }
        }
        String d = digits.toString();
        if (d.isEmpty()) {
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
}
