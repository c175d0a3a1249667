package org.tollgate.app.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** The embedded PostgreSQL asks every connection for the password only its owner can read. */
class EmbeddedDatabaseIT {

    @TempDir
    Path home;

    @Test
    void aNewDataDirectoryGetsAPasswordOnlyItsOwnerCanRead() throws Exception {
        Path dir = home.resolve("pg");
        try {
            String url = EmbeddedDatabase.urlFor(dir, 0);
            assertThat(url).doesNotContain("password");
            Path file = dir.resolve("tollgate.password");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            String password = EmbeddedDatabase.password(dir);
            assertThat(password).hasSizeGreaterThanOrEqualTo(32);
            assertThat(Files.readString(dir.resolve("pg_hba.conf"))).doesNotContainPattern("(?m)^[^#]*\\btrust\\b")
                    .contains("scram-sha-256")
                    // initdb writes this warning only when it sets up trust: the directory never trusted anyone
                    .doesNotContain("CAUTION: Configuring the system for local \"trust\"");
            assertRefused(url, null);
            assertRefused(url, "postgres");
            assertRefused(url, password + "x");
            assertThat(select1(url, password)).isEqualTo(1);

            // restarted, it starts with the kept password (zonky's readiness check needs it too)
            EmbeddedDatabase.stop(dir);
            String again = EmbeddedDatabase.urlFor(dir, 0);
            assertThat(EmbeddedDatabase.password(dir)).isEqualTo(password);
            assertRefused(again, null);
            assertThat(new JdbcTemplate(EmbeddedDatabase.dataSource(dir, 0)).queryForObject("SELECT 2", Integer.class))
                    .isEqualTo(2);
        } finally {
            EmbeddedDatabase.stop(dir);
        }
    }

    @Test
    void aDataDirectoryFromTheTrustingDaysIsConvertedOnItsNextStart() throws Exception {
        Path dir = home.resolve("old-pg");
        // as earlier versions left it: initdb -A trust, no password, some data
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false)
                .setPort(freePort()).start();
             Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('from before')");
        }
        assertThat(dir.resolve("tollgate.password")).doesNotExist();
        assertThat(Files.readString(dir.resolve("pg_hba.conf"))).containsPattern("(?m)^host.*trust");

        try {
            String url = EmbeddedDatabase.urlFor(dir, 0);
            assertRefused(url, null);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tollgate.password"))))
                    .isEqualTo("rw-------");
            assertThat(new JdbcTemplate(EmbeddedDatabase.dataSource(dir, 0)).queryForObject("SELECT v FROM kept",
                    String.class)).isEqualTo("from before");
        } finally {
            EmbeddedDatabase.stop(dir);
        }

        // without its password file the directory cannot be opened: said at once, not after a timeout
        Files.delete(dir.resolve("tollgate.password"));
        assertThatThrownBy(() -> EmbeddedDatabase.urlFor(dir, 0)).hasMessageContaining("tollgate.password is missing");
    }

    private static void assertRefused(String url, String password) {
        assertThatThrownBy(() -> select1(url, password)).as("password " + (password == null ? "none" : "wrong"))
                .isInstanceOf(SQLException.class);
    }

    private static int select1(String url, String password) throws SQLException {
        Properties p = new Properties();
        if (password != null) {
            p.setProperty("password", password);
        }
        try (Connection c = DriverManager.getConnection(url, p); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
