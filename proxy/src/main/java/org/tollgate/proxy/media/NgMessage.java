package org.tollgate.proxy.media;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import com.dampcake.bencode.Bencode;
import com.dampcake.bencode.BencodeException;
import com.dampcake.bencode.Type;

/**
 * One datagram of rtpengine's ng control protocol: a cookie, a space, a bencoded dictionary. The
 * answer to a command carries the command's cookie; that is how they are matched.
 */
record NgMessage(String cookie, Map<String, Object> body) {

    private static final Bencode BENCODE = new Bencode(StandardCharsets.UTF_8);

    byte[] encode() {
        byte[] head = (cookie + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] dict = BENCODE.encode(body);
        byte[] out = Arrays.copyOf(head, head.length + dict.length);
        System.arraycopy(dict, 0, out, head.length, dict.length);
        return out;
    }

    /** A datagram as received; IllegalArgumentException when it is not "cookie dictionary". */
    static NgMessage decode(byte[] data, int length) {
        int space = -1;
        for (int i = 0; i < length; i++) {
            if (data[i] == ' ') {
                space = i;
                break;
            }
        }
        if (space <= 0 || space == length - 1) {
            throw new IllegalArgumentException("not an ng message: no cookie");
        }
        try {
            Map<String, Object> body = BENCODE.decode(Arrays.copyOfRange(data, space + 1, length), Type.DICTIONARY);
            return new NgMessage(new String(data, 0, space, StandardCharsets.US_ASCII), body);
        } catch (BencodeException | ClassCastException e) {
            throw new IllegalArgumentException("not an ng message: " + e.getMessage(), e);
        }
    }
}
