package org.tollgate.aaa.radius;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * RADIUS text attributes are bytes a NAS chose; PostgreSQL text and jsonb hold UTF-8 without
 * NUL. This tells the two apart and makes the difference safe: a NUL byte or bytes that are not
 * UTF-8 become U+FFFD (the Unicode replacement character), and the original bytes can be kept
 * as {@code 0x…} hex, the form radclient and FreeRADIUS print octets in.
 */
public final class StorableText {

    /** Why bytes cannot be stored as they are. */
    public enum Problem {
        NUL("contains a NUL byte"),
        NOT_UTF8("is not valid UTF-8");

        private final String says;

        Problem(String says) {
            this.says = says;
        }

        /** How a Reply-Message puts it, after the attribute's name. */
        public String says() {
            return says;
        }

        /** The metric label. */
        public String label() {
            return name().toLowerCase();
        }
    }

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private StorableText() {
    }

    /** Null when the bytes are UTF-8 without NUL, else the first problem found (NUL before UTF-8). */
    public static Problem problem(byte[] v) {
        return problem(v, 0, v.length);
    }

    public static Problem problem(byte[] v, int offset, int length) {
        boolean ascii = true;
        for (int i = offset; i < offset + length; i++) {
            if (v[i] == 0) {
                return Problem.NUL;
            }
            ascii &= v[i] > 0;
        }
        if (ascii) {
            return null; // the usual case: no decoder needed
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(v, offset, length));
            return null;
        } catch (CharacterCodingException e) {
            return Problem.NOT_UTF8;
        }
    }

    /** The bytes as text PostgreSQL can store: UTF-8, with NUL and malformed sequences replaced by U+FFFD. */
    public static String decode(byte[] v) {
        return decode(v, 0, v.length);
    }

    public static String decode(byte[] v, int offset, int length) {
        String s = new String(v, offset, length, StandardCharsets.UTF_8); // malformed input becomes U+FFFD
        return s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    /** The same made safe for text that is already a string (from an older journal, another source). */
    public static String storable(String s) {
        return s == null || s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    /** The bytes as {@code 0x} and upper-case hex. */
    public static String octets(byte[] v) {
        return "0x" + HEX.formatHex(v);
    }
}
