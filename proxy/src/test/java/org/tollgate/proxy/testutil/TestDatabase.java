package org.tollgate.proxy.testutil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A real PostgreSQL (embedded) migrated with the project's migrations, behind a HikariCP pool;
 * it can be frozen (SIGSTOP, as a paused VM or a stuck disk hangs it) and thawed.
 */
public final class TestDatabase implements AutoCloseable {

    private final Path dataDir;
    private final EmbeddedPostgres pg;
    private final HikariDataSource dataSource;

    public TestDatabase() {
        try {
            dataDir = Files.createTempDirectory("tollgate-proxy-it-pg");
            pg = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
        cfg.setMaximumPoolSize(4);
        cfg.setConnectionTimeout(1000);
        cfg.setValidationTimeout(500);
        dataSource = new HikariDataSource(cfg);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migrations").load().migrate();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public String jdbcUrl() {
        return pg.getJdbcUrl("postgres", "postgres");
    }

    public JdbcTemplate jdbc() {
        return new JdbcTemplate(dataSource);
    }

    /** Stops the postmaster and every process under it until the returned handle is closed. */
    public AutoCloseable freeze() throws IOException {
        long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        List<Long> pids = new ArrayList<>(List.of(postmaster));
        signal("STOP", pids); // first, so it forks no new backend meanwhile
        List<Long> children = ProcessHandle.of(postmaster).orElseThrow().descendants().map(ProcessHandle::pid).toList();
        signal("STOP", children);
        pids.addAll(children);
        return () -> signal("CONT", pids);
    }

    private static void signal(String signal, List<Long> pids) throws IOException {
        if (pids.isEmpty()) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(p -> cmd.add(Long.toString(p)));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        dataSource.close();
        pg.close();
    }
}
