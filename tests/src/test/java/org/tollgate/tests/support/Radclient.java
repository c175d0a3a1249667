package org.tollgate.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * FreeRADIUS's radclient (Debian freeradius-utils), run as a real peer. Its dictionary is
 * FreeRADIUS's own RFC files plus dictionary.openser, the SIP attributes Kamailio/OpenSER use.
 */
public final class Radclient {

    /** What radclient printed and how it exited. */
    public record Result(int exitCode, String output) {
        public boolean accepted() {
            return output.contains("Received Access-Accept");
        }

        public boolean rejected() {
            return output.contains("Received Access-Reject");
        }

        public boolean accountingAnswered() {
            return output.contains("Received Accounting-Response");
        }

        public boolean noReply() {
            return output.contains("No reply from server");
        }
    }

    private static final String[] FREERADIUS_DICTIONARIES = {
        "dictionary.freeradius.internal", "dictionary.rfc2865", "dictionary.rfc2866", "dictionary.rfc2869",
        "dictionary.rfc3162", "dictionary.iana", "dictionary.openser",
    };

    // RFC 5176 and 5090 own 101-121 (Digest-Response is 103 here) and clash with the set above
    private static final String[] RFC5090_DICTIONARIES = {
        "dictionary.rfc2865", "dictionary.rfc2866", "dictionary.rfc2869", "dictionary.rfc3576", "dictionary.rfc5176", "dictionary.rfc5090",
    };

    private final Path dictDir;
    private final Path raddb;

    /** radclient with FreeRADIUS's RFC dictionaries and the SIP (openser) attributes. */
    public Radclient() {
        this(FREERADIUS_DICTIONARIES);
    }

    /** radclient with the dictionaries above and FreeRADIUS's Cisco one (Cisco-AVPair, the h323-* VSAs). */
    public static Radclient withCisco() {
        String[] d = java.util.Arrays.copyOf(FREERADIUS_DICTIONARIES, FREERADIUS_DICTIONARIES.length + 1);
        d[d.length - 1] = "dictionary.cisco";
        return new Radclient(d);
    }

    /** radclient speaking RFC 5090 Digest attributes. */
    public static Radclient rfc5090() {
        return new Radclient(RFC5090_DICTIONARIES);
    }

    private Radclient(String[] dictionaries) {
        try {
            dictDir = Files.createTempDirectory("radclient-dict");
            raddb = Files.createTempDirectory("radclient-raddb");
            StringBuilder d = new StringBuilder();
            for (String f : dictionaries) {
                d.append("$INCLUDE /usr/share/freeradius/").append(f).append('\n');
            }
            Files.writeString(dictDir.resolve("dictionary"), d.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends the attribute list (radclient syntax, one request) and waits for one answer. */
    public Result send(int port, String type, String secret, String attributes) {
        return run(List.of("-x", "-r", "1", "-t", "2", "127.0.0.1:" + port, type, secret), attributes);
    }

    /** As {@link #send(int, String, String, String)} from another loopback source address. */
    public Result send(int port, String type, String secret, String attributes, String sourceAddress) {
        return send(port, type, secret, attributes.strip() + ", Packet-Src-IP-Address = " + sourceAddress);
    }

    /** As radclient -f FILE, with the file's text. */
    public Result sendFile(int port, String type, String secret, String fileText) {
        try {
            Path f = Files.createTempFile(raddb, "request", ".txt");
            Files.writeString(f, fileText);
            return run(List.of("-x", "-r", "1", "-t", "2", "-f", f.toString(), "127.0.0.1:" + port, type, secret), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Result run(List<String> args, String stdin) {
        List<String> cmd = new ArrayList<>(List.of("radclient", "-D", dictDir.toString(), "-d", raddb.toString()));
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("radclient did not finish");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("radclient is needed (apt-get install freeradius-utils)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
