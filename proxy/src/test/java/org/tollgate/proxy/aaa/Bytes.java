package org.tollgate.proxy.aaa;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Walks the attributes of an encoded RADIUS packet. */
final class Bytes {

    record Attr(int type, byte[] value) {
        int int32() {
            return ((value[0] & 0xff) << 24) | ((value[1] & 0xff) << 16) | ((value[2] & 0xff) << 8) | (value[3] & 0xff);
        }

        String text() {
            return new String(value, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private Bytes() {
    }

    static List<Attr> attributes(byte[] packet) {
        int length = ((packet[2] & 0xff) << 8) | (packet[3] & 0xff);
        List<Attr> out = new ArrayList<>();
        for (int i = 20; i < length; ) {
            int len = packet[i + 1] & 0xff;
            out.add(new Attr(packet[i] & 0xff, Arrays.copyOfRange(packet, i + 2, i + len)));
            i += len;
        }
        return out;
    }

    static List<Attr> ofType(byte[] packet, int type) {
        return attributes(packet).stream().filter(a -> a.type() == type).toList();
    }
}
