package org.tollgate.tests.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SIPp (Debian sip-tester), run as a real SIP peer with the scenarios of
 * {@code src/test/resources/sipp/}: {@code uac*.xml} place calls, {@code uas*.xml} answer them,
 * {@code register.xml} registers.
 *
 * <pre>{@code
 * try (Sipp.Running callee = Sipp.scenario("uas.xml").localPort(Sipp.freeUdpPort()).start()) {
 *     Sipp.Result r = Sipp.scenario("uac.xml").remote("127.0.0.1", proxyPort).service("102")
 *             .calls(10).rate(5).run(Duration.ofSeconds(30));
 *     assertThat(r.succeeded()).as(r.describe()).isTrue();
 * }
 * }</pre>
 *
 * SIPp exits 0 when every call succeeded, 1 when some failed, 97 when stopped by an internal
 * command, 99 when it ended without a call, 255 on a fatal error or, with -timeout_error, when
 * the global -timeout was reached.
 */
public final class Sipp {

    /** Every scenario in src/test/resources/sipp/. */
    public static final List<String> SCENARIOS = List.of(
            "uac.xml", "uac-auth.xml", "uac-busy.xml", "uac-404.xml", "uac-cancel.xml", "uac-expire.xml",
            "uas.xml", "uas-hangup.xml", "uas-busy.xml", "uas-503.xml", "uas-noanswer.xml", "uas-expire.xml",
            "register.xml", "uac-refused.xml", "uac-auth-refused.xml", "uas-redirect.xml", "uac-auth-expire.xml",
            "uac-media.xml", "uas-media.xml");

    private static final Pattern SUCCESSFUL = Pattern.compile("Successful call\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)");
    private static final Pattern FAILED = Pattern.compile("Failed call\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)");

    private static Path scenarioDir;
    private static String binary;

    private Sipp() {
    }

    /** What a sipp run printed and how it exited. */
    public record Result(int exitCode, String stdout, String stderr, String errorLog, Path workDir,
                         boolean timedOut, List<String> command) {

        /** Exit code 0: every call succeeded. */
        public boolean succeeded() {
            return exitCode == 0 && !timedOut;
        }

        /** Cumulative "Successful call" of the last statistics screen, -1 if none was printed. */
        public int successfulCalls() {
            return last(SUCCESSFUL);
        }

        /** Cumulative "Failed call" of the last statistics screen, -1 if none was printed. */
        public int failedCalls() {
            return last(FAILED);
        }

        private int last(Pattern p) {
            Matcher m = p.matcher(stdout);
            int v = -1;
            while (m.find()) {
                v = Integer.parseInt(m.group(1));
            }
            return v;
        }

        /** A summary for assertion messages: command, exit code, call counts, error log, stderr. */
        public String describe() {
            return String.join(" ", command) + "\nexit " + exitCode + (timedOut ? " (did not finish in time)" : "")
                    + ", successful " + successfulCalls() + ", failed " + failedCalls()
                    + "\nerror log:\n" + tail(errorLog, 4000) + "\nstderr:\n" + tail(stderr, 2000)
                    + "\nlast screen:\n" + tail(stdout, 3000);
        }

        private static String tail(String s, int n) {
            return s.length() <= n ? s : "..." + s.substring(s.length() - n);
        }
    }

    /** A scenario of src/test/resources/sipp/ to run, e.g. {@code "uac.xml"}; defaults: 1 call, 127.0.0.1, a free port. */
    public static Builder scenario(String name) {
        return new Builder(scenarioFile(name));
    }

    /** A scenario file of your own. */
    public static Builder scenario(Path file) {
        return new Builder(file);
    }

    /** The sipp command line and its options. */
    public static final class Builder {
        private final Path scenario;
        private String remote;
        private String service;
        private String localIp = "127.0.0.1";
        private int localPort;
        private Integer calls = 1;
        private Double rate;
        private Integer ratePeriodMs;
        private Integer limit;
        private Long pauseMs;
        private String authUser;
        private String authPassword;
        private Integer timeoutSeconds;
        private boolean timeoutError = true;
        private boolean traceMessages;
        private final Map<String, String> variables = new LinkedHashMap<>();
        private final List<String> extra = new ArrayList<>();

        private Builder(Path scenario) {
            this.scenario = scenario;
        }

        /** The peer (proxy) to send to; none for a UAS waiting for calls. */
        public Builder remote(String host, int port) {
            this.remote = host + ":" + port;
            return this;
        }

        /** -s: the called user of uac*.xml, the registering user of register.xml. */
        public Builder service(String service) {
            this.service = service;
            return this;
        }

        /** -i (default 127.0.0.1). */
        public Builder localIp(String ip) {
            this.localIp = ip;
            return this;
        }

        /** -p (default: a free UDP port, chosen at start). */
        public Builder localPort(int port) {
            this.localPort = port;
            return this;
        }

        /** -m: sipp exits after this many calls; null or 0: no limit (a UAS that runs until stopped). Default 1. */
        public Builder calls(Integer calls) {
            this.calls = calls;
            return this;
        }

        /** -r: new calls per second (sipp's default is 10). */
        public Builder rate(double callsPerSecond) {
            this.rate = callsPerSecond;
            return this;
        }

        /** -rp: the period of -r in ms (default 1000). */
        public Builder ratePeriodMs(int ms) {
            this.ratePeriodMs = ms;
            return this;
        }

        /** -l: the most simultaneous calls (sipp's default is 3 x rate x call length). */
        public Builder limit(int simultaneousCalls) {
            this.limit = simultaneousCalls;
            return this;
        }

        /** -d: the length of each {@code <pause/>} in ms (the call length of uac.xml; default 0). */
        public Builder pauseMs(long ms) {
            this.pauseMs = ms;
            return this;
        }

        /** -au/-ap: digest credentials for [authentication]. */
        public Builder auth(String user, String password) {
            this.authUser = user;
            this.authPassword = password;
            return this;
        }

        /** -set NAME VALUE: a scenario parameter (domain, caller, extra, contact, expires, any_bye). */
        public Builder set(String variable, String value) {
            variables.put(variable, value);
            return this;
        }

        /** -timeout Ns: sipp gives up after this long, failing (exit 255) unless {@link #timeoutError(boolean)} false. */
        public Builder timeoutSeconds(int seconds) {
            this.timeoutSeconds = seconds;
            return this;
        }

        /** -timeout_error (default true): reaching -timeout is an error. */
        public Builder timeoutError(boolean error) {
            this.timeoutError = error;
            return this;
        }

        /** -trace_msg: every message sent and received, in messages.log of the work directory. */
        public Builder traceMessages() {
            this.traceMessages = true;
            return this;
        }

        /** Any other sipp arguments, appended as they are. */
        public Builder args(String... args) {
            extra.addAll(List.of(args));
            return this;
        }

        /** Starts sipp in the background (a UAS, or a UAC to wait for later). */
        public Running start() {
            int port = localPort != 0 ? localPort : freeUdpPort();
            try {
                Path work = Files.createTempDirectory("sipp-" + scenario.getFileName().toString().replace(".xml", "") + "-");
                Path errors = work.resolve("errors.log");
                List<String> cmd = new ArrayList<>();
                cmd.add(binary());
                if (remote != null) {
                    cmd.add(remote);
                }
                cmd.addAll(List.of("-sf", scenario.toString(), "-i", localIp, "-p", String.valueOf(port)));
                if (service != null) {
                    cmd.addAll(List.of("-s", service));
                }
                if (calls != null && calls > 0) {
                    cmd.addAll(List.of("-m", String.valueOf(calls)));
                }
                if (rate != null) {
                    cmd.addAll(List.of("-r", stripZeros(rate)));
                }
                if (ratePeriodMs != null) {
                    cmd.addAll(List.of("-rp", String.valueOf(ratePeriodMs)));
                }
                if (limit != null) {
                    cmd.addAll(List.of("-l", String.valueOf(limit)));
                }
                if (pauseMs != null) {
                    cmd.addAll(List.of("-d", String.valueOf(pauseMs)));
                }
                if (authUser != null) {
                    cmd.addAll(List.of("-au", authUser));
                }
                if (authPassword != null) {
                    cmd.addAll(List.of("-ap", authPassword));
                }
                variables.forEach((k, v) -> cmd.addAll(List.of("-set", k, v)));
                if (timeoutSeconds != null) {
                    cmd.addAll(List.of("-timeout", timeoutSeconds + "s"));
                    if (timeoutError) {
                        cmd.add("-timeout_error");
                    }
                }
                // sipp's default 64 KB socket buffers drop datagrams in bursts above ~1,000 calls/s
                cmd.addAll(List.of("-buff_size", "4194304"));
                cmd.addAll(List.of("-nostdin", "-trace_err", "-error_file", errors.toString()));
                if (traceMessages) {
                    cmd.addAll(List.of("-trace_msg", "-message_file", work.resolve("messages.log").toString()));
                }
                cmd.addAll(extra);
                Process p = new ProcessBuilder(cmd).directory(work.toFile())
                        .redirectOutput(work.resolve("stdout.log").toFile())
                        .redirectError(work.resolve("stderr.log").toFile())
                        .start();
                return new Running(p, port, work, List.copyOf(cmd));
            } catch (IOException e) {
                throw new UncheckedIOException("sipp is needed (apt-get install sip-tester)", e);
            }
        }

        /** Runs sipp to its end (-m calls done), at most {@code limit}; kills it if it takes longer. */
        public Result run(Duration limit) {
            try (Running r = start()) {
                return r.await(limit);
            }
        }
    }

    /** A sipp process. Closing it stops it. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final int localPort;
        private final Path workDir;
        private final List<String> command;
        private Result result;

        private Running(Process process, int localPort, Path workDir, List<String> command) {
            this.process = process;
            this.localPort = localPort;
            this.workDir = workDir;
            this.command = command;
        }

        /** The UDP port sipp listens on (-p): a UAS's address for the proxy, or a registered contact. */
        public int localPort() {
            return localPort;
        }

        public Path workDir() {
            return workDir;
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        public long pid() {
            return process.pid();
        }

        /** Waits for sipp to exit by itself; if it is still running after {@code limit}, kills it (timedOut). */
        public synchronized Result await(Duration limit) {
            if (result != null) {
                return result;
            }
            boolean timedOut = false;
            try {
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    timedOut = true;
                    terminate();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                terminate();
                timedOut = true;
            }
            result = collect(timedOut);
            return result;
        }

        /**
         * Stops sipp: SIGUSR1 first (sipp stops taking calls, lets the current ones end and exits
         * with its usual code), then SIGTERM and SIGKILL if it lingers. The result of a UAS stopped
         * like this tells what happened to the calls it had; timedOut is false.
         */
        public synchronized Result stop() {
            if (result != null) {
                return result;
            }
            if (process.isAlive()) {
                try {
                    new ProcessBuilder("kill", "-USR1", String.valueOf(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        terminate();
                    }
                } catch (IOException e) {
                    terminate();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    terminate();
                }
            }
            result = collect(false);
            return result;
        }

        @Override
        public void close() {
            stop();
        }

        private void terminate() {
            process.destroy();
            try {
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(3, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }

        private Result collect(boolean timedOut) {
            int code = process.isAlive() ? -1 : process.exitValue();
            return new Result(code, read(workDir.resolve("stdout.log")), read(workDir.resolve("stderr.log")),
                    read(workDir.resolve("errors.log")), workDir, timedOut, command);
        }
    }

    /** The sipp binary: system property {@code sipp}, environment variable {@code SIPP}, or sipp on the PATH. */
    public static synchronized String binary() {
        if (binary == null) {
            String configured = System.getProperty("sipp", System.getenv("SIPP"));
            if (configured != null && !configured.isBlank()) {
                binary = configured;
            } else {
                binary = "sipp";
                for (String dir : Objects.requireNonNullElse(System.getenv("PATH"), "/usr/bin:/usr/local/bin").split(java.io.File.pathSeparator)) {
                    Path candidate = Path.of(dir, "sipp");
                    if (Files.isExecutable(candidate)) {
                        binary = candidate.toString();
                        break;
                    }
                }
            }
        }
        return binary;
    }

    /** Whether sipp can be run here (for assumeTrue). */
    public static boolean available() {
        try {
            // sipp -v prints its version and exits 99
            Process p = new ProcessBuilder(binary(), "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return p.waitFor(10, TimeUnit.SECONDS) && out.contains("SIPp");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The scenario, copied from the test resources to a temporary directory (sipp needs a file). */
    public static synchronized Path scenarioFile(String name) {
        try {
            if (scenarioDir == null) {
                scenarioDir = Files.createTempDirectory("sipp-scenarios");
                for (String s : SCENARIOS) {
                    copy(s);
                }
            }
            Path f = scenarioDir.resolve(name);
            if (!Files.exists(f)) {
                copy(name);
            }
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(String name) throws IOException {
        try (InputStream in = Sipp.class.getResourceAsStream("/sipp/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no scenario sipp/" + name + " in the test resources");
            }
            Files.copy(in, scenarioDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A UDP port free on 127.0.0.1 right now. */
    public static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String stripZeros(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
