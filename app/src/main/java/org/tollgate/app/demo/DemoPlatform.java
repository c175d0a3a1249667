package org.tollgate.app.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tollgate.aaa.radius.server.RadiusServer;
import org.tollgate.app.TollgateApplication;
import org.tollgate.app.db.EmbeddedDatabase;
import org.tollgate.proxy.SipProxyServer;

/**
 * The platform as {@code tollgate run} starts it (AAA server, SIP proxy, admin API), on free
 * ports, with a fresh embedded PostgreSQL, journal and spool under its own home directory.
 */
final class DemoPlatform implements AutoCloseable {

    private final Path home;
    private final boolean keep;
    private final ConfigurableApplicationContext ctx;

    private DemoPlatform(Path home, boolean keep, ConfigurableApplicationContext ctx) {
        this.home = home;
        this.keep = keep;
        this.ctx = ctx;
    }

    /** Starts on {@code home}; {@code properties} go after the demo's own, so a -D given by the user wins. */
    static DemoPlatform start(Path home, boolean keep, Map<String, String> demo, Map<String, String> properties) {
        Map<String, String> props = new java.util.LinkedHashMap<>();
        props.put("tollgate.roles", "aaa,proxy,api");
        props.put("tollgate.embedded-db.data-dir", home.resolve("pg").toString());
        props.put("tollgate.embedded-db.port", "0");
        props.put("tollgate.accounting.journal-dir", home.resolve("journal").toString());
        props.put("tollgate.radius.bind-address", "127.0.0.1");
        props.put("tollgate.radius.auth-port", "0");
        props.put("tollgate.radius.acct-port", "0");
        props.put("server.port", "0");
        // a temporary platform: the local CLI keeps talking to the real server, if one runs
        props.put("tollgate.api.cli-file", "");
        props.put("tollgate.proxy.address", "127.0.0.1");
        props.put("tollgate.proxy.port", "0");
        props.put("tollgate.proxy.radius.spool-dir", home.resolve("spool").toString());
        // the demo says what happens; the platform's own warnings (e.g. Min-SE below 90 s) would only interleave
        props.put("logging.level.root", "ERROR");
        props.putAll(demo);
        props.putAll(properties);
        List<String> args = new ArrayList<>();
        props.forEach((k, v) -> args.add("--" + k + "=" + v));
        try {
            ConfigurableApplicationContext ctx = new SpringApplicationBuilder(TollgateApplication.class)
                    .logStartupInfo(false).run(args.toArray(String[]::new));
            return new DemoPlatform(home, keep, ctx);
        } catch (RuntimeException e) {
            EmbeddedDatabase.stop(home.resolve("pg"));
            throw e;
        }
    }

    <T> T bean(Class<T> type) {
        return ctx.getBean(type);
    }

    JdbcTemplate jdbc() {
        return new JdbcTemplate(ctx.getBean(DataSource.class));
    }

    int sipPort() {
        return ctx.getBean(SipProxyServer.class).port();
    }

    int authPort() {
        return ctx.getBean(RadiusServer.class).authPort();
    }

    int acctPort() {
        return ctx.getBean(RadiusServer.class).acctPort();
    }

    int httpPort() {
        return Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port"));
    }

    Path home() {
        return home;
    }

    /** Stops the servers and PostgreSQL; removes the home directory unless it is kept. */
    @Override
    public void close() {
        try {
            ctx.close();
        } finally {
            EmbeddedDatabase.stop(home.resolve("pg"));
            if (!keep) {
                delete(home);
            }
        }
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
