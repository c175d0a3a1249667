package org.tollgate.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tollgate.app.RemoteCli;
import org.tollgate.tests.support.RatesFile;
import org.tollgate.tests.support.TollgateInstance;

/**
 * The CLI with a server running: a command goes to it over the admin API (POST /api/cli, with the
 * token the server left in its cli-file) and prints exactly what the same command prints working
 * on the database itself; with no server answering it runs locally.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliRemoteIT {

    private TollgateInstance tollgate;
    private Path cliFile;

    @BeforeAll
    void start() throws Exception {
        tollgate = new TollgateInstance("tollgate.roles=aaa,api");
        cliFile = tollgate.home().resolve("api-cli");
        assertThat(tollgate.cli("plan", "add", "--name", "retail", "--currency", "EUR")).isZero();
        assertThat(tollgate.cli("rates", "import", RatesFile.of("49,Germany,,0,0.60,1,1,0,0,,\n"), "--plan", "retail")).isZero();
        assertThat(tollgate.cli("account", "add", "--name", "acme", "--plan", "retail", "--prepaid", "--currency", "EUR"))
                .isZero();
        assertThat(tollgate.cli("account", "topup", "acme", "12.50", "--reference", "t-1")).isZero();
        assertThat(tollgate.cli("nas", "add", "--name", "gw", "--address", "10.0.0.0/24", "--secret", "s3cret")).isZero();
        assertThat(tollgate.cli("user", "add", "--name", "101", "--realm", "example.com", "--password", "pw",
                "--group", "voip")).isZero();
        assertThat(tollgate.cli("limits", "set", "101@example.com", "--max-calls", "2")).isZero();
    }

    @AfterAll
    void stop() {
        tollgate.close();
    }

    @Test
    void theServerLeavesItsUrlAndATokenForItsUserOnly() throws Exception {
        assertThat(cliFile).exists();
        assertThat(Files.getPosixFilePermissions(cliFile))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(cliFile)).contains("url=http\\://127.0.0.1\\:" + tollgate.httpPort()).contains("token=tg_");
    }

    @Test
    void aCommandSentToTheServerPrintsWhatItPrintsLocally() {
        List<String[]> commands = List.of(
                new String[] {"nas", "list"},
                new String[] {"user", "list"},
                new String[] {"plan", "list"},
                new String[] {"account", "list"},
                new String[] {"account", "balance", "acme"},
                new String[] {"account", "ledger", "acme"},
                new String[] {"limits", "list"},
                new String[] {"rates", "export", "--plan", "retail"},
                new String[] {"rates", "quote", "--plan", "retail", "--number", "+4930123", "--start",
                        "2026-11-20T10:00:00Z", "--duration", "90"},
                new String[] {"cdr", "search", "--from", "2026-11-01", "--to", "2026-11-02"},
                new String[] {"account", "balance", "nobody"},
                new String[] {"nas", "add", "--name", "x", "--address", "10.1.1.1", "--message-authenticator", "maybe",
                        "--secret-file", "/nonexistent"},
                new String[] {"cdr", "search", "--from", "2026-11-02", "--to", "2026-11-01"},
                new String[] {"limits", "remove", "nobody@example.com"});
        for (String[] c : commands) {
            TollgateInstance.CliRun local = tollgate.cliCaptured(c);
            Run remote = remote(c);
            String what = String.join(" ", c);
            assertThat(remote.rc).as(what + ": " + remote.err).isEqualTo(local.rc());
            assertThat(remote.out).as(what).isEqualTo(local.out());
            assertThat(remote.err).as(what).isEqualTo(local.err());
        }
        assertThat(remote(new String[] {"account", "balance", "acme"}).out).contains("12.50");
    }

    @Test
    void provisioningOverTheServerWithRelativePathsFromTheCallersDirectory() throws Exception {
        // the caller's working directory (this JVM's) is where a relative path is read
        Path secret = Path.of("target", "cli-remote-secret.txt");
        Files.createDirectories(secret.getParent());
        Files.writeString(secret, "remote-secret\n");
        Run add = remote(new String[] {"nas", "add", "--name", "remote-gw", "--address", "10.2.2.2", "--secret-file",
                secret.toString()});
        assertThat(add.rc).as(add.err).isZero();
        assertThat(add.out).contains("added NasClient[remote-gw");
        assertThat(tollgate.jdbc().queryForObject("SELECT secret FROM nas_client WHERE name = 'remote-gw'", String.class))
                .isEqualTo("remote-secret");
        Run users = remote(new String[] {"user", "list"});
        assertThat(users.out).contains("101@example.com");
        Run removed = remote(new String[] {"nas", "remove", "remote-gw"});
        assertThat(removed.rc).isZero();
    }

    @Test
    void withNoServerAnsweringTheCommandRunsHere() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path stale = Files.createTempFile("api-cli", "");
        Files.writeString(stale, "url=http\\://127.0.0.1\\:" + port + "\ntoken=tg_gone\n");
        assertThat(RemoteCli.tryRun(new String[] {"-Dtollgate.api.cli-file=" + stale, "nas", "list"}, System.out,
                System.err)).as("a server that crashed: run here").isEqualTo(-1);
        assertThat(RemoteCli.tryRun(new String[] {"-Dtollgate.api.cli-file=" + stale.resolveSibling("none"), "nas",
                "list"}, System.out, System.err)).as("no file: run here").isEqualTo(-1);
        for (String[] local : List.of(new String[] {"--local", "nas", "list"}, new String[] {"run"},
                new String[] {"demo"}, new String[] {"--help"}, new String[] {"-Dx=y", "nas", "list"})) {
            List<String> args = new ArrayList<>(List.of("-Dtollgate.api.cli-file=" + cliFile));
            args.addAll(List.of(local));
            assertThat(RemoteCli.tryRun(args.toArray(String[]::new), System.out, System.err)).as(String.join(" ", local))
                    .isEqualTo(-1);
        }
        // a token given explicitly means "that server": not answering is an error, not a fallback
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Files.writeString(stale, "url=http\\://127.0.0.1\\:" + port + "\n");
        int rc = RemoteCli.tryRun(new String[] {"-Dtollgate.api.cli-file=" + stale, "--token", "tg_x", "nas", "list"},
                System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no Tollgate server answers at http://127.0.0.1:" + port);
        // a wrong token is refused, one line
        err.reset();
        rc = RemoteCli.tryRun(new String[] {"-Dtollgate.api.cli-file=" + cliFile, "--token", "tg_wrong", "nas", "list"},
                System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("answered 401").contains("not valid");
        assertThat(Set.of(RemoteCli.tryRun(new String[] {"-Dtollgate.api.cli-file=" + cliFile, "run"}, System.out,
                System.err))).containsExactly(-1);
    }

    private record Run(int rc, String out, String err) { }

    private Run remote(String[] command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("-Dtollgate.api.cli-file=" + cliFile));
        args.addAll(List.of(command));
        int rc = RemoteCli.tryRun(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).as("sent to the server: " + String.join(" ", command)).isNotEqualTo(-1);
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
