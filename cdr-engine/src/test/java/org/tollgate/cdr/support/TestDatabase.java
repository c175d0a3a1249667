package org.tollgate.cdr.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A real PostgreSQL (embedded) for integration tests, migrated with the project's Flyway
 * migrations. It can be stopped and started again on the same port and data, to test outages.
 */
public final class TestDatabase implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres pg;
    private final HikariDataSource dataSource;

    public TestDatabase() {
        try {
            dataDir = Files.createTempDirectory("tollgate-it-pg");
            pg = start(dataDir, 0);
            port = pg.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres");
        cfg.setMaximumPoolSize(8);
        cfg.setConnectionTimeout(1000);
        cfg.setValidationTimeout(500);
        dataSource = new HikariDataSource(cfg);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migrations").load().migrate();
    }

    private static EmbeddedPostgres start(Path dir, int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("synchronous_commit", "on")
                .start();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public JdbcTemplate jdbc() {
        return new JdbcTemplate(dataSource);
    }

    /** Stops PostgreSQL (connections break); {@link #restart()} brings the same data back. */
    public void stop() throws IOException {
        pg.close();
    }

    public void restart() throws IOException {
        pg = start(dataDir, port);
    }

    @Override
    public void close() throws IOException {
        dataSource.close();
        pg.close();
    }
}
