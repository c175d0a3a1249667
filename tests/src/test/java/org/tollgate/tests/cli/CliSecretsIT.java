package org.tollgate.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.tests.support.Radclient;
import org.tollgate.tests.support.TollgateInstance;
import org.tollgate.tests.support.TollgateInstance.CliRun;

/**
 * Secrets reach {@code nas add} and {@code user add} without the process list showing them —
 * from stdin, a file, the environment — intact, as a RADIUS exchange with radclient proves; on
 * the command line they still work, with a warning. The CLI processes here run in JVMs of their
 * own, attached to the running server's embedded PostgreSQL with its password.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliSecretsIT {

    static final String NAS_SECRET = "piped-secret-42";

    @TempDir
    Path dir;

    private TollgateInstance tollgate;
    private final Radclient radclient = new Radclient();

    @BeforeAll
    void start() throws Exception {
        tollgate = new TollgateInstance("tollgate.roles=aaa");
        // the NAS every test's radclient is: `--secret` alone, not a terminal, takes the first line of stdin
        Child nas = child(Map.of(), NAS_SECRET + "\n", "nas", "add", "--name", "piped", "--address", "127.0.0.1", "--secret");
        assertThat(nas.rc()).as(nas.output()).isZero();
        assertThat(nas.output()).contains("added").doesNotContain("warning").doesNotContain(NAS_SECRET);
    }

    @AfterAll
    void stop() {
        tollgate.close();
    }

    @Test
    void secretsFromStdinTheEnvironmentAndAFileArriveIntactWithoutAWarning() throws Exception {
        // the NAS secret came from stdin (start()): radclient's answers below prove it intact
        Child env = child(Map.of("TOLLGATE_USER_PASSWORD", "env-pass-1"), "", "user", "add", "--name", "envuser");
        assertThat(env.rc()).as(env.output()).isZero();
        assertThat(env.output()).doesNotContain("warning");

        Path file = dir.resolve("password");
        Files.writeString(file, "file pass 2\n"); // spaces are part of it, the line break is not
        CliRun fromFile = tollgate.cliCaptured("user", "add", "--name", "fileuser", "--password-file", file.toString());
        assertThat(fromFile.rc()).as(fromFile.err()).isZero();
        assertThat(fromFile.err()).doesNotContain("warning");

        assertThat(auth("envuser", "env-pass-1").accepted()).isTrue();
        assertThat(auth("fileuser", "file pass 2").accepted()).isTrue();
        assertThat(auth("fileuser", "file pass").rejected()).isTrue();
    }

    @Test
    void aSecretOnTheCommandLineStillWorksWithAOneLineWarning() {
        CliRun r = tollgate.cliCaptured("user", "add", "--name", "argvuser", "--password", "argv-pass-3");
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.err().lines().filter(l -> l.contains("warning")).toList()).singleElement()
                .asString().contains("--password VALUE on the command line is visible", "--password-file",
                        "TOLLGATE_USER_PASSWORD");
        assertThat(r.err()).doesNotContain("argv-pass-3");
        assertThat(auth("argvuser", "argv-pass-3").accepted()).isTrue();

        CliRun d = tollgate.cliCaptured("-Dtollgate.proxy.radius.secret=dash-d-secret", "nas", "list");
        assertThat(d.rc()).as(d.err()).isZero();
        assertThat(d.err()).contains("warning: -Dtollgate.proxy.radius.secret on the command line is visible",
                "TOLLGATE_PROXY_RADIUS_SECRET").doesNotContain("dash-d-secret");
    }

    @Test
    void aMissingAmbiguousOrEmptySecretIsRefusedAndAddsNothing() throws Exception {
        Path empty = dir.resolve("empty");
        Files.writeString(empty, "\n");
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "s\n");
        CliRun none = tollgate.cliCaptured("nas", "add", "--name", "none", "--address", "10.1.1.1");
        assertThat(none.rc()).isEqualTo(2);
        assertThat(none.err()).contains("no secret: give --secret alone (asked for, or read from stdin), "
                + "--secret-file FILE or TOLLGATE_NAS_SECRET");
        CliRun both = tollgate.cliCaptured("nas", "add", "--name", "both", "--address", "10.1.1.2", "--secret", "x",
                "--secret-file", secret.toString());
        assertThat(both.rc()).isEqualTo(2);
        assertThat(both.err()).contains("either --secret or --secret-file");
        CliRun blank = tollgate.cliCaptured("user", "add", "--name", "blank", "--password-file", empty.toString());
        assertThat(blank.rc()).isEqualTo(2);
        assertThat(blank.err()).contains("the password is empty");
        CliRun missing = tollgate.cliCaptured("user", "add", "--name", "nofile", "--password-file",
                dir.resolve("nope").toString());
        assertThat(missing.rc()).isEqualTo(2);
        assertThat(tollgate.jdbc().queryForObject("SELECT count(*) FROM nas_client WHERE name IN ('none', 'both')",
                Integer.class)).isZero();
        assertThat(tollgate.jdbc().queryForObject("SELECT count(*) FROM radius_user WHERE username IN ('blank', 'nofile')",
                Integer.class)).isZero();
    }

    private Radclient.Result auth(String user, String password) {
        return radclient.send(tollgate.authPort(), "auth", NAS_SECRET,
                "User-Name = \"" + user + "\", User-Password = \"" + password + "\", Message-Authenticator = 0x00");
    }

    record Child(int rc, String output) { }

    /** {@code ./tollgate COMMAND} in a JVM of its own, with {@code stdin} and extra environment variables. */
    private Child child(Map<String, String> environment, String stdin, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.tollgate.app.TollgateMain",
                "-Dtollgate.embedded-db.data-dir=" + tollgate.home().resolve("pg")));
        cmd.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("TOLLGATE_"));
        pb.environment().putAll(environment);
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the command did not finish: " + out);
        }
        return new Child(p.exitValue(), out);
    }
}
