package org.tollgate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Which commands the CLI sends to a running server, where, with which token. */
class RemoteCliTest {

    @TempDir
    Path dir;

    private RemoteCli.Target target(Map<String, String> env, String... args) {
        return RemoteCli.target(args, new ArrayList<>(), env);
    }

    @Test
    void theServersFileGivesUrlAndToken() throws Exception {
        Path file = dir.resolve("api-cli");
        Files.writeString(file, "url=http\\://127.0.0.1\\:18080\ntoken=tg_abc\n");
        List<String> rest = new ArrayList<>();
        RemoteCli.Target t = RemoteCli.target(new String[] {"-Dtollgate.api.cli-file=" + file, "nas", "list", "--json"},
                rest, Map.of());
        assertThat(t.url()).hasToString("http://127.0.0.1:18080");
        assertThat(t.token()).isEqualTo("tg_abc");
        assertThat(t.required()).as("no server answering: run here").isFalse();
        assertThat(rest).containsExactly("nas", "list", "--json");
        // the environment names the file, or the server and token outright
        assertThat(target(Map.of("TOLLGATE_API_CLI_FILE", file.toString()), "nas", "list").token()).isEqualTo("tg_abc");
        RemoteCli.Target env = target(Map.of("TOLLGATE_API_URL", "http://billing:8080/", "TOLLGATE_API_TOKEN", "tg_env",
                "TOLLGATE_API_CLI_FILE", file.toString()), "nas", "list");
        assertThat(env.url()).hasToString("http://billing:8080");
        assertThat(env.token()).isEqualTo("tg_env");
        assertThat(env.required()).isTrue();
        RemoteCli.Target flag = target(Map.of("TOLLGATE_API_CLI_FILE", file.toString()), "--token", "tg_flag", "nas", "list");
        assertThat(flag.token()).isEqualTo("tg_flag");
        assertThat(flag.required()).isTrue();
    }

    @Test
    void commandsThatRunHere() throws Exception {
        Path file = dir.resolve("api-cli");
        Files.writeString(file, "url=http\\://127.0.0.1\\:18080\ntoken=tg_abc\n");
        Map<String, String> env = Map.of("TOLLGATE_API_CLI_FILE", file.toString());
        for (String[] args : List.of(new String[] {"run"}, new String[] {"demo", "--keep-data", "x"},
                new String[] {"--local", "nas", "list"}, new String[] {"-Dspring.datasource.url=x", "nas", "list"},
                new String[] {"--help"}, new String[] {"--version"}, new String[] {})) {
            assertThat(target(env, args)).as(String.join(" ", args)).isNull();
        }
        assertThat(target(Map.of("TOLLGATE_API_CLI_FILE", dir.resolve("none").toString()), "nas", "list"))
                .as("no server file, no token: run here").isNull();
        assertThatThrownBy(() -> target(env, "--token")).hasMessageContaining("--token needs a value");
        assertThatThrownBy(() -> target(env, "--token", "t", "run")).hasMessageContaining("run runs here");
    }

    /** A secret asked for must be asked here: every interactive option of every command is one RemoteCli knows. */
    @Test
    void everyInteractiveOptionIsAskedForOnThisSide() {
        Set<String> interactive = new TreeSet<>();
        collect(TollgateMain.commandLine(), interactive);
        assertThat(interactive).isNotEmpty();
        assertThat(RemoteCli.SECRET_OPTIONS.keySet()).containsAll(interactive);
    }

    private static void collect(CommandLine cl, Set<String> names) {
        cl.getCommandSpec().options().stream().filter(CommandLine.Model.OptionSpec::interactive)
                .forEach(o -> names.add(o.longestName()));
        cl.getSubcommands().values().forEach(sub -> collect(sub, names));
    }
}
