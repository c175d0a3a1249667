package org.tollgate.app.db;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.postgresql.PGConnection;

/**
 * The embedded PostgreSQL's superuser password. initdb as zonky runs it trusts every local
 * connection, which would make any local user its superuser; so a new data directory is created
 * with a generated password and {@code pg_hba.conf} asking for it (scram-sha-256) on every
 * connection, TCP and Unix socket alike, and the password is kept in the data directory in a file
 * only its owner can read. A directory from before is converted on its next start.
 */
final class EmbeddedPassword {

    static final String FILE = "tollgate.password";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    // a method field "trust" in an active pg_hba.conf line (initdb -A trust writes it on every line)
    private static final Pattern TRUST = Pattern.compile("(?<=\\s)trust(?=\\s|$)");

    private EmbeddedPassword() {
    }

    /** The password of the data directory {@code dir}; fails with a clear message when it cannot be read. */
    static String read(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            String password = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (password.isEmpty()) {
                throw new IllegalStateException(file + " is empty");
            }
            return password;
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("the embedded PostgreSQL in " + dir + " wants a password and " + file
                    + " is missing");
        } catch (AccessDeniedException e) {
            throw new IllegalStateException("cannot read " + file + ": only the user who owns the embedded "
                    + "PostgreSQL's data may use it");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * The password to start {@code dir} with: the kept one, or a new one when the directory has
     * none yet (a fresh or a trust-mode directory, which {@link #secure} then converts).
     */
    static String forStart(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(dir.resolve("postgresql.conf"))) {
            Files.deleteIfExists(file); // initdb wants an empty directory; a stray file must not stop it
        }
        if (Files.exists(file)) {
            ownerOnly(file);
            return read(dir);
        }
        if (Files.exists(dir.resolve("pg_hba.conf")) && !trusting(dir)) {
            read(dir); // it asks for a password nobody has: say so rather than time out
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /**
     * For a directory initdb has yet to create: the password in a file of its own (owner-only,
     * outside the directory, which initdb wants empty) for initdb's --pwfile; null for an existing
     * directory. The caller deletes it once the server has started.
     */
    static Path initPasswordFile(Path dir, String password) throws IOException {
        if (Files.exists(dir.resolve("PG_VERSION"))) {
            return null;
        }
        Path file = posix()
                ? Files.createTempFile("tollgate-initdb", ".pw", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile("tollgate-initdb", ".pw");
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
        return file;
    }

    /** Whether {@code pg_hba.conf} still lets a connection in without a password. */
    static boolean trusting(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve("pg_hba.conf")).stream().anyMatch(EmbeddedPassword::trusts);
    }

    /**
     * Converts a running trust-mode server: the password is kept first (so a crash half-way is
     * finished by the next start), set with a SCRAM verifier computed here (the password itself
     * never reaches the server, nor its log), then {@code pg_hba.conf} asks for it and is reloaded.
     */
    static void secure(Path dir, String password, DataSource superuser) throws IOException, SQLException {
        keep(dir, password);
        try (Connection c = superuser.getConnection()) {
            c.unwrap(PGConnection.class).alterUserPassword(EmbeddedDatabase.USER, password.toCharArray(), "scram-sha-256");
            Path hba = dir.resolve("pg_hba.conf");
            List<String> lines = Files.readAllLines(hba).stream()
                    .map(l -> trusts(l) ? TRUST.matcher(l).replaceAll("scram-sha-256") : l).toList();
            writeOwnerOnly(hba, String.join("\n", lines) + "\n");
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_reload_conf()");
            }
        }
    }

    /** Keeps the password in the data directory, owner-only, unless it is kept already. */
    static void keep(Path dir, String password) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            writeOwnerOnly(file, password + "\n");
        }
    }

    private static boolean trusts(String line) {
        String l = line.strip();
        return !l.startsWith("#") && TRUST.matcher(" " + l).find();
    }

    /** Written next to the target and moved over it, so a crash leaves the old file or the new one. */
    private static void writeOwnerOnly(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (posix()) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void ownerOnly(Path file) throws IOException {
        if (posix() && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
