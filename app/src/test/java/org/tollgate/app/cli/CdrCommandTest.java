package org.tollgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tollgate.app.TollgateMain;
import picocli.CommandLine;

/**
 * Bad arguments are refused in one line with exit 2 before any database is opened: the data
 * source points nowhere, so reaching it would fail with exit 1 instead.
 */
class CdrCommandTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            search --from 2026-13-01                          | --since: '2026-13-01' is not a date like 2026-11-21
            search --to yesterday                             | --until: 'yesterday' is not a date like 2026-11-21
            search --from 2026-11-22 --to 2026-11-21          | --since 2026-11-22 is after --until 2026-11-21
            search --disposition busy --disposition ringing   | --disposition: 'ringing' is not one of answered, busy,
            search --disposition busy,nope                    | --disposition: 'nope' is not one of
            search --repaired sometimes                       | --repaired: 'sometimes' is not any, none, media-timeout
            search --limit 0                                  | --limit must be at least 1, not 0
            search --caller=                                  | --caller must not be empty
            list --since yesterday                            | --since: 'yesterday' is not now, an instant, a date or an age
            list --since 2026-11-22 --until 2026-11-21        | --since 2026-11-22 is after --until 2026-11-21
            list --since 2026-11-21T10:00:00Z --until 2026-11-21T09:00:00Z | --since 2026-11-21T10:00:00Z is after --until
            missed --limit -1                                 | --limit must be at least 1, not -1
            missed --until 2026-02-30                         | --until: '2026-02-30' is not a date like 2026-11-21
            review --reason lost                              | --reason: 'lost' is not one of stop-without-start,
            """)
    void aBadArgumentIsOneLineAndExitTwo(String command, String message) {
        List<String> args = new ArrayList<>(List.of("-Dspring.datasource.url=jdbc:postgresql://127.0.0.1:9/nowhere", "cdr"));
        args.addAll(List.of(command.trim().split(" +")));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = commandLine().execute(args.toArray(String[]::new));
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith(message.trim()).hasLineCount(1);
        assertThat(out.size()).isZero();
    }

    /** TollgateMain's command line, with {@code cdr} whether or not it is registered there yet. */
    static CommandLine commandLine() {
        CommandLine cl = TollgateMain.commandLine();
        if (!cl.getSubcommands().containsKey("cdr")) {
            cl.addSubcommand(new CdrCommand());
        }
        return cl;
    }
}
