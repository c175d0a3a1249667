package org.tollgate.tests.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A seeded SIP mutator: takes a valid request and breaks it the ways hostile or broken peers do
 * (flipped bytes, truncation, duplicated or missing headers, huge and negative numbers, bad URIs,
 * garbage Via hosts and ports, wrong Content-Length, NULs, bytes that are not UTF-8). The same
 * seed gives the same messages, so a failure can be replayed.
 *
 * <p>Hosts it writes are loopback addresses or names under {@code .invalid} (RFC 2606): nothing
 * it makes can send the proxy anywhere off this machine.
 */
public final class SipMutator {

    private static final String[] NUMBERS = {"-1", "0", "4294967296", "99999999999999999999999", "-2147483649",
            "2147483647", "1e9", "0x10", "  7", "１２"};
    private static final String[] URIS = {"sip:", "sip:@", "sip:user@", "sip:[::1", "sip:a@b:99999", "tel:",
            "http://x.invalid/", "sip:%zz@x.invalid", "sip:a@b.invalid;;;=", "<sip:x.invalid>", "sips:",
            "sip:a@127.0.0.1:-5", "sip:a b@c.invalid", "*", "sip:" + "a".repeat(3000) + "@x.invalid",
            "sip:a@b.invalid;transport=", "sip:a@b.invalid?h", "urn:x", "sip:a@" + "1.".repeat(50) + "1"};
    private static final String[] VIAS = {"Via: SIP/2.0/UDP garbage-host.invalid:5060;branch=z9hG4bKx1",
            "Via: SIP/2.0/UDP 127.0.0.1:0;branch=z9hG4bKx2", "Via: SIP/2.0/UDP 127.0.0.1:-7;branch=z9hG4bKx3",
            "Via: SIP/2.0/UDP 127.0.0.1:99999;branch=z9hG4bKx4", "Via: SIP/2.0/XYZ 127.0.0.1;branch=z9hG4bKx5",
            "Via: SIP/2.0/UDP ;branch=z9hG4bKx6", "Via: SIP/2.0/UDP [::1;branch=z9hG4bKx7",
            "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=", "Via: SIP/2.0/UDP 127.0.0.1;rport=abc;branch=z9hG4bKx8",
            "Via: SIP/2.0/UDP 127.0.0.1;received=not-an-ip.invalid;branch=z9hG4bKx9",
            "Via: SIP/2.0/TCP x" + "y".repeat(300) + ".invalid;branch=z9hG4bKxa", "Via: ",
            "Via: SIP/2.0/UDP 127.0.0.1;maddr=127.0.0.1;ttl=999;branch=z9hG4bKxb"};

    private final Random random;
    private final List<Function<byte[], byte[]>> mutations = new ArrayList<>();

    public SipMutator(long seed) {
        this.random = new Random(seed);
        mutations.add(this::flipBytes);
        mutations.add(this::truncate);
        mutations.add(this::duplicateHeader);
        mutations.add(this::removeHeader);
        mutations.add(this::badNumber);
        mutations.add(this::badRequestUri);
        mutations.add(this::badHeaderUri);
        mutations.add(this::garbageVia);
        mutations.add(this::badContentLength);
        mutations.add(this::nuls);
        mutations.add(this::notUtf8);
        mutations.add(this::emptyHeaderValue);
    }

    /** One to three mutations of {@code valid}. */
    public byte[] mutate(String valid) {
        byte[] m = valid.getBytes(StandardCharsets.UTF_8);
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            m = mutations.get(random.nextInt(mutations.size())).apply(m);
        }
        return m;
    }

    public Random random() {
        return random;
    }

    private byte[] flipBytes(byte[] m) {
        byte[] out = m.clone();
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n && out.length > 0; i++) {
            out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return out;
    }

    private byte[] truncate(byte[] m) {
        return m.length < 2 ? m : Arrays.copyOf(m, random.nextInt(m.length));
    }

    private byte[] duplicateHeader(byte[] m) {
        List<String> lines = lines(m);
        if (lines.size() < 3) {
            return m;
        }
        int i = 1 + random.nextInt(lines.size() - 1);
        if (lines.get(i).isEmpty()) {
            return m;
        }
        lines.add(i, lines.get(i));
        return join(lines);
    }

    private byte[] removeHeader(byte[] m) {
        List<String> lines = lines(m);
        int headers = headerCount(lines);
        if (headers < 2) {
            return m;
        }
        lines.remove(1 + random.nextInt(headers - 1));
        return join(lines);
    }

    private byte[] badNumber(byte[] m) {
        String s = text(m);
        String n = NUMBERS[random.nextInt(NUMBERS.length)];
        String[] targets = {"CSeq: \\d+", "Max-Forwards: \\d+", "Expires: \\d+", "Content-Length: \\d+",
                ":\\d{4,5}", "Session-Expires: \\d+"};
        String t = targets[random.nextInt(targets.length)];
        String prefix = t.startsWith(":") ? ":" : t.substring(0, t.indexOf(' ') + 1);
        return s.replaceFirst(t, java.util.regex.Matcher.quoteReplacement(prefix + n)).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] badRequestUri(byte[] m) {
        String s = text(m);
        int a = s.indexOf(' ');
        int b = a < 0 ? -1 : s.indexOf(' ', a + 1);
        if (b < 0) {
            return m;
        }
        return (s.substring(0, a + 1) + URIS[random.nextInt(URIS.length)] + s.substring(b)).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] badHeaderUri(byte[] m) {
        String s = text(m);
        String[] names = {"From: ", "To: ", "Contact: ", "Route: ", "Record-Route: "};
        String name = names[random.nextInt(names.length)];
        int i = s.indexOf(name);
        if (i < 0) {
            return m;
        }
        int end = s.indexOf("\r\n", i);
        if (end < 0) {
            end = s.length();
        }
        String uri = URIS[random.nextInt(URIS.length)];
        String value = random.nextBoolean() ? "<" + uri + ">;tag=" + random.nextInt(1000) : uri;
        return (s.substring(0, i) + name + value + s.substring(end)).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] garbageVia(byte[] m) {
        String s = text(m);
        String via = VIAS[random.nextInt(VIAS.length)];
        return (random.nextBoolean() ? s.replaceFirst("Via: [^\r]*", java.util.regex.Matcher.quoteReplacement(via))
                : s.replaceFirst("\r\n", java.util.regex.Matcher.quoteReplacement("\r\n" + via + "\r\n")))
                .getBytes(StandardCharsets.UTF_8);
    }

    private byte[] badContentLength(byte[] m) {
        String s = text(m);
        String[] values = {"-5", "100000", "abc", "", "3", "70000", "2147483648"};
        return s.replaceFirst("Content-Length: \\d+", "Content-Length: " + values[random.nextInt(values.length)])
                .getBytes(StandardCharsets.UTF_8);
    }

    private byte[] nuls(byte[] m) {
        byte[] out = m.clone();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n && out.length > 0; i++) {
            out[random.nextInt(out.length)] = 0;
        }
        return out;
    }

    private byte[] notUtf8(byte[] m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = random.nextInt(Math.max(1, m.length));
        out.write(m, 0, at);
        byte[][] bad = {{(byte) 0xff, (byte) 0xfe}, {(byte) 0xc0, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                {(byte) 0x80}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}};
        out.writeBytes(bad[random.nextInt(bad.length)]);
        out.write(m, at, m.length - at);
        return out.toByteArray();
    }

    private byte[] emptyHeaderValue(byte[] m) {
        List<String> lines = lines(m);
        int headers = headerCount(lines);
        if (headers < 2) {
            return m;
        }
        int i = 1 + random.nextInt(headers - 1);
        String line = lines.get(i);
        int colon = line.indexOf(':');
        if (colon > 0) {
            lines.set(i, line.substring(0, colon + 1));
        }
        return join(lines);
    }

    private static String text(byte[] m) {
        return new String(m, StandardCharsets.ISO_8859_1);
    }

    private static List<String> lines(byte[] m) {
        return new ArrayList<>(Arrays.asList(text(m).split("\r\n", -1)));
    }

    private static int headerCount(List<String> lines) {
        int i = lines.indexOf("");
        return i < 0 ? lines.size() : i;
    }

    private static byte[] join(List<String> lines) {
        return String.join("\r\n", lines).getBytes(StandardCharsets.ISO_8859_1);
    }
}
