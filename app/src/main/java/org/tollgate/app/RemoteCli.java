package org.tollgate.app;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.net.ConnectException;
import java.net.URI;
import java.net.HttpURLConnection;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The CLI's fast path: when a Tollgate server runs, a command is sent to it ({@code POST /api/cli})
 * instead of starting Spring and a database pool here. Only the JDK's HTTP client and Jackson's
 * streaming core are loaded, so a listing answers in a fraction of a second.
 *
 * <p>Where the server is: {@code TOLLGATE_API_URL}, else the URL in the file the server writes
 * ({@code tollgate.api.cli-file}, {@code data/api-cli}; {@code TOLLGATE_API_CLI_FILE} or
 * {@code -Dtollgate.api.cli-file=F} elsewhere). Its token: {@code --token T}, else
 * {@code TOLLGATE_API_TOKEN}, else the file's (with the file's URL only). Given {@code --token} or {@code TOLLGATE_API_URL}, the
 * server must answer; otherwise a server that does not answer means the command runs locally.
 * {@code --local}, any other {@code -D} option, {@code run}, {@code demo} and a bare {@code --help}
 * always run locally.
 */
public final class RemoteCli {

    /** Options that ask for a secret when given without a value (they must be asked for here, not in the server). */
    static final Map<String, String> SECRET_OPTIONS = Map.of(
            "--secret", "Shared secret: ",
            "--password", "Password: ");

    /** {@link #main}'s exit code for "run this command in a full process" (./tollgate then starts one). */
    static final int RUN_HERE = 254;

    private static final Set<String> LOCAL_COMMANDS = Set.of("run", "demo", "help");
    private static final String DEFAULT_FILE = "data/api-cli";

    /** Where to send a command, and with what; null: run it here. */
    record Target(URI url, String token, boolean required) { }

    private RemoteCli() {
    }

    /** The command's exit code when it ran on a server, or -1 when it is to run here. */
    public static int tryRun(String[] args, PrintStream out, PrintStream err) {
        Target target;
        List<String> rest = new ArrayList<>();
        try {
            target = target(args, rest, System.getenv());
        } catch (IllegalArgumentException e) {
            err.println("tollgate: " + e.getMessage());
            return 2;
        }
        if (target == null) {
            return -1;
        }
        try {
            return send(target, rest, out, err);
        } catch (ConnectException | java.net.SocketTimeoutException e) {
            if (target.required()) {
                err.println("tollgate: no Tollgate server answers at " + target.url() + ": " + e.getMessage());
                return 1;
            }
            return -1;
        } catch (IOException e) {
            err.println("tollgate: " + target.url() + ": " + e);
            return 1;
        }
    }

    /** For ./tollgate: the exit code of a command a server ran, or {@link #RUN_HERE}. */
    public static void main(String[] args) {
        int rc = tryRun(args, System.out, System.err);
        System.exit(rc < 0 ? RUN_HERE : rc);
    }

    /** Null when the command runs here; {@code rest} gets the arguments to send (without --token). */
    static Target target(String[] args, List<String> rest, Map<String, String> env) {
        String token = null;
        boolean explicit = false;
        Path file = Path.of(env.getOrDefault("TOLLGATE_API_CLI_FILE", DEFAULT_FILE));
        String command = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (command != null) {
                rest.add(a);
                continue;
            }
            if (a.equals("--local")) {
                return null;
            } else if (a.equals("--token") || a.startsWith("--token=")) {
                if (a.equals("--token") && i + 1 >= args.length) {
                    throw new IllegalArgumentException("--token needs a value");
                }
                token = a.equals("--token") ? args[++i] : a.substring("--token=".length());
                explicit = true;
            } else if (a.startsWith("-Dtollgate.api.cli-file=")) {
                file = Path.of(a.substring("-Dtollgate.api.cli-file=".length()));
            } else if (a.startsWith("-D") || a.startsWith("-")) {
                return null; // local configuration, help or version: this process
            } else {
                command = a;
                rest.add(a);
            }
        }
        if (command == null || LOCAL_COMMANDS.contains(command)) {
            if (explicit) {
                throw new IllegalArgumentException("--token is for a command sent to a running server; "
                        + (command == null ? "give one" : command + " runs here"));
            }
            return null;
        }
        String url = env.get("TOLLGATE_API_URL");
        explicit |= url != null;
        if (token == null) {
            token = env.get("TOLLGATE_API_TOKEN");
        }
        Properties written = read(file);
        if (url == null && written != null) {
            url = written.getProperty("url");
            if (token == null) {
                token = written.getProperty("token"); // the file's token goes to the file's server only
            }
        }
        if (token == null || token.isEmpty()) {
            return null;
        }
        if (url == null) {
            url = "http://127.0.0.1:8080";
        }
        return new Target(URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url), token, explicit);
    }

    private static Properties read(Path file) {
        if (!Files.isReadable(file)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
            return p;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * A secret option given alone is asked for here (no echo on a terminal, else a line of stdin) and
     * sent as the command's standard input, where the server's command reads it.
     */
    private static String secretsAsked(List<String> args) throws IOException {
        StringBuilder stdin = new StringBuilder();
        BufferedReader lines = null;
        for (int i = 0; i < args.size(); i++) {
            String prompt = SECRET_OPTIONS.get(args.get(i));
            if (prompt == null || (i + 1 < args.size() && !args.get(i + 1).startsWith("-"))) {
                continue;
            }
            Console console = System.console();
            String secret;
            if (console != null) {
                char[] typed = console.readPassword("%s", prompt);
                secret = typed == null ? "" : new String(typed);
            } else {
                if (lines == null) {
                    lines = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                }
                secret = lines.readLine();
                secret = secret == null ? "" : secret;
            }
            stdin.append(secret).append('\n');
        }
        return stdin.isEmpty() ? null : stdin.toString();
    }

    private static int send(Target target, List<String> args, PrintStream out, PrintStream err) throws IOException {
        // HttpURLConnection, not java.net.http: its client costs a quarter of a second to start and stop
        HttpURLConnection c = (HttpURLConnection) URI.create(target.url() + "/api/cli").toURL().openConnection();
        c.setConnectTimeout(2000);
        c.setDoOutput(true);
        c.setRequestMethod("POST");
        c.setRequestProperty("Authorization", "Bearer " + target.token());
        c.setRequestProperty("Content-Type", "application/json");
        c.connect(); // before a secret is asked for: with no server the command runs here, and needs it then
        String stdin = secretsAsked(args);
        JsonFactory json = new JsonFactory();
        java.io.StringWriter body = new java.io.StringWriter();
        try (JsonGenerator g = json.createGenerator(body)) {
            g.writeStartObject();
            g.writeArrayFieldStart("args");
            for (String a : args) {
                g.writeString(a);
            }
            g.writeEndArray();
            g.writeStringField("cwd", Path.of("").toAbsolutePath().toString());
            if (stdin != null) {
                g.writeStringField("stdin", stdin);
            }
            g.writeEndObject();
        }
        try (OutputStream o = c.getOutputStream()) {
            o.write(body.toString().getBytes(StandardCharsets.UTF_8));
        }
        int status = c.getResponseCode();
        InputStream stream = status == 200 ? c.getInputStream() : c.getErrorStream();
        try (InputStream in = stream == null ? InputStream.nullInputStream() : stream; JsonParser p = json.createParser(in)) {
            if (status != 200) {
                Map<String, String> fields = fields(p);
                err.println("tollgate: " + target.url() + " answered " + status + ": "
                        + fields.getOrDefault("error", "(no reason given)"));
                return status == 400 ? 2 : 1;
            }
            int exit = 1;
            while (p.nextToken() == JsonToken.START_OBJECT) {
                Map<String, String> line = fieldsOfObject(p);
                if (line.containsKey("out")) {
                    out.print(line.get("out"));
                    out.flush();
                } else if (line.containsKey("err")) {
                    err.print(line.get("err"));
                    err.flush();
                } else if (line.containsKey("exit")) {
                    exit = Integer.parseInt(line.get("exit"));
                }
            }
            return exit;
        }
    }

    private static Map<String, String> fields(JsonParser p) throws IOException {
        return p.nextToken() == JsonToken.START_OBJECT ? fieldsOfObject(p) : Map.of();
    }

    private static Map<String, String> fieldsOfObject(JsonParser p) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            m.put(name, p.getValueAsString());
        }
        return m;
    }
}
