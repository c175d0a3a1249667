package org.tollgate.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Diameter peer for the tests: freeDiameterd with the {@code tg_client} extension
 * (tests/src/test/c/tg_client.c, built here with gcc against libfreediameter-dev), which sends the
 * CCRs and ACRs a test writes to its requests file and notes each answer.
 */
public final class FreeDiameter implements AutoCloseable {

    private static final Path SOURCE = Path.of("src/test/c/tg_client.c");
    private static Path extension;

    private final Path dir;
    private final Path requests;
    private final Path answers;
    private final Process process;
    private final AtomicInteger tags = new AtomicInteger();

    /** One answer as tg_client wrote it. */
    public record Answer(String tag, int command, long resultCode, Long granted, Integer finalUnitAction,
                         Long validity, String cost) { }

    /**
     * Starts freeDiameterd as {@code identity} (realm: after its first dot) connecting to Tollgate
     * at 127.0.0.1:{@code tollgatePort}, which must call itself {@code tollgateIdentity}.
     */
    public FreeDiameter(String identity, String tollgateIdentity, int tollgatePort) {
        this(identity, freeTcpPort(), dir -> """
                TwTimer = 6;
                LoadExtension = "%s" : "%s %s";
                ConnectPeer = "%s" { ConnectTo = "127.0.0.1"; No_TLS; Port = %d; };
                """.formatted(extension(), dir.resolve("requests"), dir.resolve("answers"), tollgateIdentity,
                tollgatePort));
    }

    /**
     * freeDiameterd as a server {@code identity} on {@code port} that lets peers of {@code allowedPeers}
     * (acl_wl syntax, e.g. {@code *.localdomain}) connect without TLS; it serves no application.
     */
    public static FreeDiameter server(String identity, int port, String allowedPeers) {
        return new FreeDiameter(identity, port, dir -> {
            Files.writeString(dir.resolve("acl.conf"), "ALLOW_IPSEC " + allowedPeers + "\n");
            return "LoadExtension = \"/usr/lib/freeDiameter/acl_wl.fdx\" : \"" + dir.resolve("acl.conf") + "\";\n";
        });
    }

    /** What a configuration adds to the common part, given the peer's directory. */
    private interface Extra {
        String of(Path dir) throws IOException;
    }

    private FreeDiameter(String identity, int port, Extra extra) {
        try {
            dir = Files.createTempDirectory("freediameter");
            requests = dir.resolve("requests");
            answers = dir.resolve("answers");
            Files.createFile(requests);
            Files.createFile(answers);
            String conf = """
                    Identity = "%s";
                    Realm = "%s";
                    Port = %d;
                    SecPort = 0;
                    No_SCTP;
                    No_IPv6;
                    ListenOn = "127.0.0.1";
                    LoadExtension = "/usr/lib/freeDiameter/dict_nasreq.fdx";
                    LoadExtension = "/usr/lib/freeDiameter/dict_dcca.fdx";
                    """.formatted(identity, identity.substring(identity.indexOf('.') + 1), port) + extra.of(dir);
            Path file = dir.resolve("freediameter.conf");
            Files.writeString(file, conf);
            process = new ProcessBuilder("freeDiameterd", "-c", file.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("freediameter.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds tg_client.fdx once per test JVM. */
    static synchronized Path extension() throws IOException {
        if (extension == null) {
            Path out = Files.createTempDirectory("tg_client").resolve("tg_client.fdx");
            Process gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-Wall", "-o", out.toString(),
                    SOURCE.toAbsolutePath().toString(), "-lfdcore", "-lfdproto", "-lpthread")
                    .redirectErrorStream(true).start();
            String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (gcc.waitFor() != 0) {
                    throw new IllegalStateException("gcc tg_client.c failed (is libfreediameter-dev installed?):\n" + log);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            extension = out;
        }
        return extension;
    }

    /** A fresh tag for a request line. */
    public String tag() {
        return "r" + tags.incrementAndGet();
    }

    /** Sends one request line (see tg_client.c) and returns without waiting. */
    public void send(String line) {
        try {
            Files.writeString(requests, line + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code line} with a new tag and waits for its answer. */
    public Answer request(String line) {
        String tag = tag();
        send(line + " tag=" + tag);
        return await(tag, Duration.ofSeconds(20));
    }

    /** Waits for the answer (or bench summary line) of {@code tag}. */
    public Answer await(String tag, Duration timeout) {
        String line = awaitLine(tag, timeout);
        Map<String, String> w = words(line);
        return new Answer(tag, Integer.parseInt(w.get("cmd")), Long.parseLong(w.get("rc")), number(w.get("gsu")),
                w.get("fui").equals("-") ? null : Integer.valueOf(w.get("fui")), number(w.get("validity")),
                w.get("cost").equals("-") ? null : w.get("cost"));
    }

    /** The raw answers-file line of {@code tag}, waiting up to {@code timeout}. */
    public String awaitLine(String tag, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (String line : lines()) {
                if (line.startsWith("tag=" + tag + " ")) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("freeDiameterd exited: " + log());
            }
            sleep(20);
        }
        throw new AssertionError("no answer for " + tag + " within " + timeout + "; freeDiameter log:\n" + log());
    }

    public static Map<String, String> words(String line) {
        Map<String, String> w = new HashMap<>();
        for (String p : line.trim().split(" ")) {
            int eq = p.indexOf('=');
            if (eq > 0) {
                w.put(p.substring(0, eq), p.substring(eq + 1));
            }
        }
        return w;
    }

    public List<String> lines() {
        try {
            return Files.readAllLines(answers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String log() {
        try {
            String s = Files.readString(dir.resolve("freediameter.log"));
            return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Stops answering anything (SIGSTOP), as a hung peer; {@link #resume()} undoes it. */
    public void freeze() {
        signal("STOP");
    }

    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    private static Long number(String s) {
        return s == null || s.equals("-") ? null : Long.valueOf(s);
    }

    public static int freeTcpPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        resume();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
