package org.tollgate.tests.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tollgate.aaa.radius.server.RadiusMetrics;
import org.tollgate.aaa.radius.server.RadiusServer;
import org.tollgate.app.TollgateApplication;
import org.tollgate.app.TollgateMain;
import org.tollgate.app.db.EmbeddedDatabase;
import org.tollgate.proxy.SipProxyServer;

/**
 * The whole platform as {@code tollgate run} starts it, on free ports, with its own embedded
 * PostgreSQL and journal in a temporary directory.
 */
public final class TollgateInstance implements AutoCloseable {

    /** The admin token every instance has unless a test sets {@code tollgate.api.token} itself. */
    public static final String API_TOKEN = "test-admin-token-5f0c2a9e7d4b1c83";

    private final Path home;
    private final ConfigurableApplicationContext ctx;
    private final boolean ownsDatabase;

    public TollgateInstance(String... extraProperties) {
        this(newHome(), extraProperties, true);
    }

    /**
     * A second instance on the database of {@code first} (e.g. another proxy of the same
     * installation), with a home of its own; closing it leaves the database running.
     */
    public static TollgateInstance onSharedDatabase(TollgateInstance first, String... extraProperties) {
        List<String> props = new ArrayList<>();
        props.add("tollgate.embedded-db.data-dir=" + first.home.resolve("pg"));
        props.addAll(List.of(extraProperties));
        return new TollgateInstance(newHome(), props.toArray(String[]::new), false);
    }

    /**
     * An instance on the home directory of an earlier one (closed before): the same embedded
     * PostgreSQL data, journal and spool, e.g. a server restarted after an outage. Fixed ports
     * go in {@code extraProperties} as for the first one (e.g. {@code tollgate.radius.acct-port=N}).
     */
    public static TollgateInstance onHome(Path home, String... extraProperties) {
        if (!Files.isDirectory(home)) {
            throw new IllegalArgumentException("no such home directory: " + home);
        }
        return new TollgateInstance(home, extraProperties, true);
    }

    private static Path newHome() {
        try {
            return Files.createTempDirectory("tollgate-e2e");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TollgateInstance(Path home, String[] extraProperties, boolean ownsDatabase) {
        this.home = home;
        this.ownsDatabase = ownsDatabase;
        // a later value replaces the default (Spring would join repeated options with commas)
        Map<String, String> props = new LinkedHashMap<>();
        for (String p : properties()) {
            props.put(p.substring(2, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
        }
        for (String p : extraProperties) {
            props.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
        }
        List<String> args = new ArrayList<>();
        props.forEach((k, v) -> args.add("--" + k + "=" + v));
        ctx = new SpringApplicationBuilder(TollgateApplication.class).run(args.toArray(String[]::new));
    }

    /** Properties pointing a second process (the CLI) at this instance's data. */
    public String[] properties() {
        return new String[] {
            "--tollgate.embedded-db.data-dir=" + home.resolve("pg"),
            "--tollgate.embedded-db.port=0",
            "--tollgate.accounting.journal-dir=" + home.resolve("journal"),
            "--tollgate.radius.bind-address=127.0.0.1",
            "--tollgate.radius.auth-port=0",
            "--tollgate.radius.acct-port=0",
            "--server.port=0",
            "--tollgate.proxy.radius.spool-dir=" + home.resolve("spool"),
            "--tollgate.proxy.port=0",
            "--tollgate.api.token=" + API_TOKEN,
            "--tollgate.api.cli-file=" + home.resolve("api-cli"),
        };
    }

    /** Runs a CLI command against this instance's database, as {@code ./tollgate} would. */
    public int cli(String... command) {
        List<String> args = new ArrayList<>();
        args.add("-Dtollgate.embedded-db.data-dir=" + home.resolve("pg"));
        args.addAll(List.of(command));
        return TollgateMain.commandLine().execute(args.toArray(String[]::new));
    }

    /** What a CLI command returned and printed. */
    public record CliRun(int rc, String out, String err) { }

    /** Runs a CLI command like {@link #cli}, capturing what it prints on System.out and System.err. */
    public CliRun cliCaptured(String... command) {
        synchronized (TollgateInstance.class) { // System.out and System.err are one pair per JVM
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream oldOut = System.out;
            PrintStream oldErr = System.err;
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int rc;
            try {
                rc = cli(command); // picocli made after the swap writes its own messages to the captured stream
            } finally {
                System.setOut(oldOut);
                System.setErr(oldErr);
            }
            return new CliRun(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    public int authPort() {
        return ctx.getBean(RadiusServer.class).authPort();
    }

    /** The SIP proxy's port (UDP and TCP), when the instance has the proxy role. */
    public int sipPort() {
        return ctx.getBean(SipProxyServer.class).port();
    }

    public int acctPort() {
        return ctx.getBean(RadiusServer.class).acctPort();
    }

    /** The admin HTTP port (health, metrics). */
    public int httpPort() {
        return Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port"));
    }

    /** GET {@code path} (e.g. /actuator/prometheus) on the admin port with the admin token. */
    public HttpResponse<String> adminGet(String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
                    .header("Authorization", "Bearer " + API_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POST {@code json} to {@code path} on the admin port with the admin token. */
    public HttpResponse<String> adminPost(String path, String json) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
                    .header("Authorization", "Bearer " + API_TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public RadiusMetrics metrics() {
        return ctx.getBean(RadiusMetrics.class);
    }

    public <T> T bean(Class<T> type) {
        return ctx.getBean(type);
    }

    public JdbcTemplate jdbc() {
        return new JdbcTemplate(ctx.getBean(DataSource.class));
    }

    public Path home() {
        return home;
    }

    public Path journalDir() {
        return home.resolve("journal");
    }

    /** Stops the embedded PostgreSQL under the running server (a database outage). */
    public void stopDatabase() {
        EmbeddedDatabase.stop(home.resolve("pg"));
    }

    /** Freezes the embedded PostgreSQL (SIGSTOP) until the returned handle is closed: a hung database. */
    public FrozenDatabase freezeDatabase() {
        return FrozenDatabase.freeze(home.resolve("pg"));
    }

    /** Starts it again on the same port with the same data. */
    public void startDatabase(int port) {
        EmbeddedDatabase.urlFor(home.resolve("pg"), port);
    }

    public int databasePort() {
        String url = ctx.getEnvironment().getProperty("spring.datasource.url");
        String rest = url.substring(url.indexOf("127.0.0.1:") + "127.0.0.1:".length());
        return Integer.parseInt(rest.substring(0, rest.indexOf('/')));
    }

    /** {@code n} different UDP ports free on 127.0.0.1 right now, e.g. fixed RADIUS auth and acct ports that survive a restart. */
    public static int[] freeUdpPorts(int n) {
        java.util.Set<Integer> ports = new java.util.LinkedHashSet<>();
        List<java.net.DatagramSocket> held = new ArrayList<>();
        try {
            while (ports.size() < n) {
                java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getByName("127.0.0.1"));
                held.add(s);
                ports.add(s.getLocalPort());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            held.forEach(java.net.DatagramSocket::close);
        }
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public void close() {
        ctx.close();
        if (ownsDatabase) {
            EmbeddedDatabase.stop(home.resolve("pg"));
        }
    }
}
