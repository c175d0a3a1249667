package org.tollgate.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hand-written SIP over one UDP socket on a loopback address: send text, read what comes back.
 * For tests that need requests no SIP stack would send (made-up tags, forged Routes, broken bytes)
 * and a peer that records exactly what reached it.
 */
public final class RawSip implements AutoCloseable {

    private final DatagramSocket socket;
    private final String ip;

    /** A socket on 127.0.0.1, any free port. */
    public RawSip() {
        this("127.0.0.1");
    }

    /** A socket on {@code ip} (any 127/8 address works on Linux loopback), any free port. */
    public RawSip(String ip) {
        try {
            this.ip = ip;
            this.socket = new DatagramSocket(0, InetAddress.getByName(ip));
            socket.setReceiveBufferSize(1 << 20);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String ip() {
        return ip;
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** "ip:port" of this socket. */
    public String hostPort() {
        return ip + ":" + port();
    }

    /** A Via for this socket with a fresh branch. */
    public String via() {
        return "Via: SIP/2.0/UDP " + hostPort() + ";branch=z9hG4bK" + UUID.randomUUID().toString().replace("-", "");
    }

    public void send(String text, int port) {
        send(text.getBytes(StandardCharsets.UTF_8), port);
    }

    public void send(byte[] bytes, int port) {
        try {
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getByName("127.0.0.1"), port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next datagram, or null when none came within {@code wait}. */
    public String receive(Duration wait) {
        byte[] buf = new byte[65536];
        try {
            socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.receive(p);
            return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first final response (provisionals skipped) whose Call-ID is {@code callId}, or null within {@code wait}. */
    public String finalResponse(String callId, Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            String m = receive(Duration.ofNanos(left));
            if (m == null) {
                return null;
            }
            if (m.startsWith("SIP/2.0 ") && !m.startsWith("SIP/2.0 1") && callId.equals(header(m, "Call-ID"))) {
                return m;
            }
        }
    }

    /** Every datagram that arrives within {@code wait}. */
    public List<String> drain(Duration wait) {
        List<String> got = new ArrayList<>();
        long end = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return got;
            }
            String m = receive(Duration.ofNanos(left));
            if (m == null) {
                return got;
            }
            got.add(m);
        }
    }

    /** The status code of a response, or -1. */
    public static int status(String response) {
        if (response == null || !response.startsWith("SIP/2.0 ")) {
            return -1;
        }
        return Integer.parseInt(response.substring(8, 11));
    }

    /** The status line without "SIP/2.0 ", or "nothing". */
    public static String statusLine(String response) {
        return response == null ? "nothing" : response.substring(8, response.indexOf("\r\n"));
    }

    /** The first header {@code name} (long form; case-insensitive), or null. */
    public static String header(String message, String name) {
        for (String line : message.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** Every header {@code name} in order. */
    public static List<String> headers(String message, String name) {
        List<String> out = new ArrayList<>();
        for (String line : message.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                out.add(line.substring(colon + 1).trim());
            }
        }
        return out;
    }

    /** The request line's method of a request, or null for a response. */
    public static String method(String message) {
        return message == null || message.startsWith("SIP/") ? null : message.substring(0, message.indexOf(' '));
    }

    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"?([^\",]*)\"?");

    /**
     * The Proxy-Authorization (or Authorization) header line answering {@code challenge}
     * (a 401/407 response) for {@code method} and {@code uri}, RFC 2617 MD5 with qop=auth.
     */
    public static String digest(String challenge, String user, String password, String method, String uri) {
        boolean proxy = status(challenge) == 407;
        String h = header(challenge, proxy ? "Proxy-Authenticate" : "WWW-Authenticate");
        String realm = null;
        String nonce = null;
        Matcher m = PARAM.matcher(h);
        while (m.find()) {
            if (m.group(1).equals("realm")) {
                realm = m.group(2);
            } else if (m.group(1).equals("nonce")) {
                nonce = m.group(2);
            }
        }
        String cnonce = Long.toHexString(System.nanoTime());
        String nc = "00000001";
        String ha1 = md5(user + ":" + realm + ":" + password);
        String ha2 = md5(method + ":" + uri);
        String response = md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        return (proxy ? "Proxy-Authorization" : "Authorization") + ": Digest username=\"" + user + "\", realm=\""
                + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri + "\", response=\"" + response
                + "\", algorithm=MD5, qop=auth, nc=" + nc + ", cnonce=\"" + cnonce + "\"";
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A response to {@code request} from this peer: its Via, From, To (with {@code toTag} added when it has none), Call-ID, CSeq. */
    public static String response(String request, int code, String reason, String toTag, String... extra) {
        StringBuilder b = new StringBuilder("SIP/2.0 ").append(code).append(' ').append(reason).append("\r\n");
        for (String v : headers(request, "Via")) {
            b.append("Via: ").append(v).append("\r\n");
        }
        for (String rr : headers(request, "Record-Route")) {
            b.append("Record-Route: ").append(rr).append("\r\n");
        }
        b.append("From: ").append(header(request, "From")).append("\r\n");
        String to = header(request, "To");
        b.append("To: ").append(to).append(to.contains(";tag=") || toTag == null ? "" : ";tag=" + toTag).append("\r\n");
        b.append("Call-ID: ").append(header(request, "Call-ID")).append("\r\n");
        b.append("CSeq: ").append(header(request, "CSeq")).append("\r\n");
        for (String e : extra) {
            b.append(e).append("\r\n");
        }
        b.append("Content-Length: 0\r\n\r\n");
        return b.toString();
    }

    @Override
    public void close() {
        socket.close();
    }
}
