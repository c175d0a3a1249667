package org.tollgate.app.api.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Lets the CLI on this host reach the running server: once the admin port listens, a fresh admin
 * token (stored hashed as {@code local-cli@HOST:PORT}, replacing the last one) and the port's URL
 * are written to {@code tollgate.api.cli-file}, readable by the server's user only. At a clean stop
 * the file is removed and the token revoked; after a crash the file names a port nobody answers on,
 * and the CLI works on the database directly.
 */
public final class LocalCliAccess implements ApplicationListener<WebServerInitializedEvent>, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LocalCliAccess.class);

    private final Path file;
    private final JdbcApiTokens tokens;
    private volatile String tokenName;

    /** {@code file} empty: no file, no token. */
    public LocalCliAccess(String file, JdbcApiTokens tokens) {
        this.file = file.isBlank() ? null : Path.of(file).toAbsolutePath().normalize();
        this.tokens = tokens;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (file == null || event.getApplicationContext().getParent() != null) {
            return;
        }
        int port = event.getWebServer().getPort();
        String host = event.getApplicationContext().getEnvironment().getProperty("server.address", "127.0.0.1");
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        String name = "local-cli@" + hostName() + ":" + port;
        Properties p = new Properties();
        p.setProperty("url", "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
        p.setProperty("token", tokens.replace(name));
        tokenName = name;
        try {
            write(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tollgate.api.cli-file " + file, e);
        }
        log.info("local CLI access in {} (token {})", file, name);
    }

    private void write(Properties p) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".api-cli", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(out, "Tollgate admin API for the local CLI; written by the running server, removed when it stops");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    @Override
    public void start() {
    }

    @Override
    public boolean isRunning() {
        return tokenName != null;
    }

    // stopped before the web server and the data source (highest phase stops first)
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1;
    }

    @Override
    public void stop() {
        String name = tokenName;
        tokenName = null;
        if (name == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
            tokens.revoke(name);
        } catch (IOException | RuntimeException e) {
            log.warn("could not remove local CLI access {}: {}", file, e.toString());
        }
    }
}
