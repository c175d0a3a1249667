package org.tollgate.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.tollgate.app.cli.AccountCommand;
import org.tollgate.app.cli.AcctCommand;
import org.tollgate.app.cli.BansCommand;
import org.tollgate.app.cli.BatchCommand;
import org.tollgate.app.cli.Beans;
import org.tollgate.app.cli.TokenCommand;
import org.tollgate.app.cli.CdrCommand;
import org.tollgate.app.cli.DialogsCommand;
import org.tollgate.app.cli.LimitsCommand;
import org.tollgate.app.cli.ImportCommand;
import org.tollgate.app.cli.NasCommand;
import org.tollgate.app.cli.DiameterPeerCommand;
import org.tollgate.app.cli.PlanCommand;
import org.tollgate.app.cli.PrepaidCommand;
import org.tollgate.app.cli.RatesCommand;
import org.tollgate.app.cli.ReportCommand;
import org.tollgate.app.cli.RunCommand;
import org.tollgate.app.cli.SecretSettings;
import org.tollgate.app.cli.UserCommand;
import org.tollgate.app.cli.VoucherCommand;
import org.tollgate.app.demo.DemoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tollgate} — the command line. Every command works against the configured database. */
@Command(name = "tollgate", mixinStandardHelpOptions = true, version = "Tollgate 0.1.0",
        description = "VoIP billing and AAA platform.",
        subcommands = {RunCommand.class, NasCommand.class, DiameterPeerCommand.class, UserCommand.class, ImportCommand.class,
                AcctCommand.class, DialogsCommand.class, LimitsCommand.class, BansCommand.class, BatchCommand.class, CdrCommand.class,
                PlanCommand.class, RatesCommand.class, AccountCommand.class, VoucherCommand.class, PrepaidCommand.class,
                ReportCommand.class, TokenCommand.class, DemoCommand.class})
public class TollgateMain implements Runnable {

    @Option(names = "-D", paramLabel = "KEY=VALUE",
            description = "Set a configuration property, e.g. -Dtollgate.radius.auth-port=11812 "
                    + "or -Dspring.datasource.url=jdbc:postgresql://db/tollgate. Secrets (passwords, tokens) "
                    + "belong in the environment (e.g. TOLLGATE_API_TOKEN) or ./application.yml: ps shows a -D.")
    Map<String, String> properties = new LinkedHashMap<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // set when the commands run inside the server (sent over the admin API)
    private ConfigurableApplicationContext server;
    private java.nio.file.Path cwd;
    private boolean files = true;
    private String actor;

    @Option(names = "--local", description = "Work on the database from this process even when a server runs "
            + "(by default a command goes to the running server, which answers at once).")
    boolean local;

    @Option(names = "--token", paramLabel = "T", description = "The admin API token for a command sent to a running "
            + "server (default: TOLLGATE_API_TOKEN, else the one the server left in tollgate.api.cli-file).")
    String token;

    public static void main(String[] args) {
        // ./tollgate has asked RemoteCli already when it starts this with TOLLGATE_CLI_LOCAL=1
        int remote = "1".equals(System.getenv("TOLLGATE_CLI_LOCAL")) ? -1 : RemoteCli.tryRun(args, System.out, System.err);
        System.exit(remote >= 0 ? remote : commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return commandLine(new TollgateMain());
    }

    private static CommandLine commandLine(TollgateMain main) {
        return new CommandLine(main).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionStrategy(TollgateMain::execute)
                .setExecutionExceptionHandler(TollgateMain::explain);
    }

    /** Runs the command, after warning about secrets given where every local user can read them. */
    private static int execute(CommandLine.ParseResult parsed) {
        TollgateMain main = (TollgateMain) parsed.commandSpec().userObject();
        SecretSettings.warnings(main.properties, System.getProperties()).forEach(System.err::println);
        return new CommandLine.RunLast().execute(parsed);
    }

    /** A failed command says what went wrong in one line, not with a stack trace. */
    private static int explain(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message;
        if (e instanceof org.springframework.dao.DuplicateKeyException) {
            String detail = root.getMessage() == null ? "" : root.getMessage();
            int i = detail.indexOf("Detail:");
            message = "already exists" + (i >= 0 ? ": " + detail.substring(i + 7).trim() : "");
        } else if (e instanceof IllegalArgumentException) {
            message = e.getMessage();
        } else {
            message = root.getMessage() == null ? root.toString() : root.getMessage();
        }
        cmd.getErr().println(cmd.getCommandName() + ": " + message);
        return 1;
    }

    public Map<String, String> properties() {
        return properties;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * The beans a command works with: the running server's when the command was sent to it
     * ({@link #inServer}), else a context with the database and repositories only (no servers, no
     * web), closed with the command.
     */
    public Beans dataContext() {
        return server != null ? new ContextBeans(server, false) : new ContextBeans(startDataContext(), true);
    }

    /** A context's beans; {@code owned}: closed with them (a command's own context, not the server's). */
    private record ContextBeans(ConfigurableApplicationContext context, boolean owned) implements Beans {
        @Override
        public <T> T getBean(Class<T> type) {
            return context.getBean(type);
        }

        @Override
        public void close() {
            if (owned) {
                context.close();
            }
        }
    }

    /**
     * A command line whose commands work with the running server's beans (a command sent over the
     * admin API), relative paths taken from {@code cwd} (the caller's; null: the server's). Files are
     * read and written with the server's rights: {@code files} false refuses every file argument
     * (a caller whose token is not the admin's). Arguments are never expanded from {@code @files}.
     * {@code actor}: the caller's token name, for what the command records.
     */
    public static CommandLine inServer(ConfigurableApplicationContext server, java.nio.file.Path cwd, boolean files,
                                       String actor) {
        TollgateMain main = new TollgateMain();
        main.server = server;
        main.actor = actor;
        main.cwd = cwd;
        main.files = files;
        CommandLine cl = commandLine(main);
        cl.setExpandAtFiles(false);
        secretsFromStdin(cl);
        cl.registerConverter(java.nio.file.Path.class, s -> main.path(s));
        return cl;
    }

    /** What a secret option given alone holds inside the server: read it from the caller's stdin. */
    public static final String SECRET_FROM_STDIN = "\u0000stdin";

    // inside the server picocli must not prompt (a server started in a terminal has a console): a secret
    // option given alone reads the line ./tollgate asked for and sent as the command's standard input
    private static void secretsFromStdin(CommandLine cl) {
        CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        for (CommandLine.Model.OptionSpec o : new ArrayList<>(spec.options())) {
            if (o.interactive()) {
                spec.remove(o);
                spec.addOption(CommandLine.Model.OptionSpec.builder(o).interactive(false).echo(false)
                        .fallbackValue(SECRET_FROM_STDIN).build());
            }
        }
        cl.getSubcommands().values().forEach(TollgateMain::secretsFromStdin);
    }

    /** Who runs the command, for the records it leaves: the OS user here, the token's name over the API. */
    public String actor() {
        return actor != null ? actor + " (admin API)" : System.getProperty("user.name", "cli");
    }

    /** Whether this command runs inside a server, sent over the admin API. */
    public boolean inServer() {
        return server != null;
    }

    /** A path as the command's user typed it, resolved where they typed it. */
    public java.nio.file.Path path(String typed) {
        if (!files) {
            throw new CommandLine.TypeConversionException("a file is read or written with the server's rights: over the "
                    + "admin API only an admin token may name one (an import's content goes to /api/imports)");
        }
        return cwd == null ? java.nio.file.Path.of(typed) : cwd.resolve(typed);
    }

    private ConfigurableApplicationContext startDataContext() {
        Map<String, String> props = new LinkedHashMap<>(properties);
        props.putIfAbsent("tollgate.roles", "");
        // no Quartz scheduler in a command: its JVM-wide registry would share one with a server in the same JVM
        props.putIfAbsent("spring.autoconfigure.exclude", "org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration");
        props.putIfAbsent("logging.level.root", "ERROR");
        // a failure is explained in one line by explain(); no stack trace for an operator
        props.putIfAbsent("logging.level.org.springframework.boot.SpringApplication", "OFF");
        return new SpringApplicationBuilder(TollgateApplication.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .run(args(props));
    }

    /** The platform with its configured roles. */
    public ConfigurableApplicationContext serverContext() {
        return new SpringApplicationBuilder(TollgateApplication.class).run(args(properties));
    }

    private static String[] args(Map<String, String> props) {
        List<String> args = new ArrayList<>();
        props.forEach((k, v) -> args.add("--" + k + "=" + v));
        return args.toArray(String[]::new);
    }
}
