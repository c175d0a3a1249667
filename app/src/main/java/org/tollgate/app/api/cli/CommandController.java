package org.tollgate.app.api.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.tollgate.app.TollgateMain;
import org.tollgate.app.api.access.Allowed;
import org.tollgate.app.api.access.Caller;
import org.tollgate.app.api.access.Role;
import picocli.CommandLine;

/**
 * {@code POST /api/cli}: runs a CLI command inside the running server, with its beans (no Spring
 * start, no second PostgreSQL client pool), and streams what it prints back as JSON lines:
 * {@code {"out": "…"}}, {@code {"err": "…"}}, and last {@code {"exit": N}}. This is how
 * {@code ./tollgate COMMAND} answers at once while a server runs: the same command, the same output.
 * Relative paths are resolved against the caller's {@code cwd}; the server's user must be able
 * to read (and, for reports and vouchers, write) them, so only an admin token may name a file.
 * Which role may run what: {@link CommandRoles}.
 */
@RestController
public class CommandController {

    /** The body: the command's arguments as typed, the caller's working directory, its standard input. */
    public record CliRequest(List<String> args, String cwd, String stdin) {
        // arguments and input can hold secrets (--secret S): a log line shows the command's name at most
        @Override
        public String toString() {
            return "CliRequest[" + (args == null || args.isEmpty() ? "" : args.get(0)) + "]";
        }
    }

    private static final Logger log = LoggerFactory.getLogger(CommandController.class);

    private final ConfigurableApplicationContext context;
    private final ObjectMapper json;

    public CommandController(ConfigurableApplicationContext context, ObjectMapper json) {
        this.context = context;
        this.json = json;
        ThreadStreams.install();
    }

    @PostMapping(path = "/api/cli", consumes = MediaType.APPLICATION_JSON_VALUE, produces = "application/x-ndjson")
    @Allowed({Role.OPERATOR, Role.FINANCE})
    public void run(@RequestBody CliRequest body, HttpServletRequest request, HttpServletResponse response) throws Exception {
        Caller caller = (Caller) request.getAttribute(Caller.ATTRIBUTE);
        List<String> args = body.args() == null ? List.of() : body.args();
        Path cwd = body.cwd() == null || body.cwd().isBlank() ? null : Path.of(body.cwd());
        if (cwd != null && !cwd.isAbsolute()) {
            refuse(response, 400, "cwd must be an absolute path");
            return;
        }
        boolean files = caller != null && caller.role() == Role.ADMIN && !caller.scoped();
        CommandLine cl = TollgateMain.inServer(context, cwd, files, caller == null ? null : caller.name());
        // the command picocli will run, as picocli parses it (execute parses again, from the options' defaults)
        List<String> path;
        try {
            CommandLine.ParseResult parsed = cl.parseArgs(args.toArray(String[]::new));
            if (parsed.hasMatchedOption("-D")) {
                refuse(response, 400, "-D options configure a local command; run it with ./tollgate --local");
                return;
            }
            path = new ArrayList<>();
            for (CommandLine.ParseResult r = parsed.subcommand(); r != null; r = r.subcommand()) {
                path.add(r.commandSpec().name());
            }
        } catch (CommandLine.ParameterException e) {
            path = new ArrayList<>(); // refused by the parser: the command it got to, for the role check
            for (CommandLine c = e.getCommandLine(); c != null && c.getParent() != null; c = c.getParent()) {
                path.add(0, c.getCommandName());
            }
        }
        if (!path.isEmpty() && CommandRoles.LOCAL_ONLY.contains(path.get(0))) {
            refuse(response, 400, path.get(0) + " starts servers of its own; it runs locally, not inside a server");
            return;
        }
        if (caller == null || !CommandRoles.permits(caller, path)) {
            refuse(response, 403, "token " + (caller == null ? "(none)" : caller.name() + " (" + caller.role().label() + ")")
                    + " may not run " + (path.isEmpty() ? "commands" : String.join(" ", path)));
            return;
        }
        response.setStatus(200);
        response.setContentType("application/x-ndjson");
        OutputStream wire = response.getOutputStream();
        PrintStream out = new PrintStream(new JsonLines(wire, "out"), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new JsonLines(wire, "err"), true, StandardCharsets.UTF_8);
        byte[] stdin = body.stdin() == null ? new byte[0] : body.stdin().getBytes(StandardCharsets.UTF_8);
        int exit = ThreadStreams.with(out, err, new ByteArrayInputStream(stdin),
                () -> cl.execute(args.toArray(String[]::new)));
        // the command line's arguments can hold secrets: only the command's name is logged
        log.info("{} ran {} over the API: exit {}", caller.name(), String.join(" ", path), exit);
        synchronized (wire) {
            wire.write(json.writeValueAsBytes(Map.of("exit", exit)));
            wire.write('\n');
            wire.flush();
        }
    }

    private void refuse(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), Map.of("error", message));
    }

    /** Each flush of what a command printed becomes one JSON line on the wire. */
    private final class JsonLines extends OutputStream {
        private final OutputStream wire;
        private final String stream;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        JsonLines(OutputStream wire, String stream) {
            this.wire = wire;
            this.stream = stream;
        }

        @Override
        public void write(int b) {
            pending.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (pending.size() == 0) {
                return;
            }
            byte[] line = json.writeValueAsBytes(Map.of(stream, pending.toString(StandardCharsets.UTF_8)));
            pending.reset();
            synchronized (wire) {
                wire.write(line);
                wire.write('\n');
                wire.flush();
            }
        }
    }
}
