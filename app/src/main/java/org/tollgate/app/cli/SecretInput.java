package org.tollgate.app.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * A secret a command needs (a NAS secret, a password), from where the process list does not show
 * it: asked for without echo (or read from stdin when that is not a terminal) for the option
 * given alone, a file, or an environment variable. Given as the option's value it still works,
 * with a one-line warning: every local user can read a command line.
 */
final class SecretInput {

    // what picocli records as the option's string for a value it read interactively without echo
    private static final String MASKED = "***";

    private SecretInput() {
    }

    /**
     * @param option the option (interactive, arity 0..1, default {@code ${env:VARIABLE}}) and its value
     * @param fileOption the option naming a file with the secret, and its value (null when not given)
     */
    static String resolve(CommandSpec spec, String option, char[] value, String fileOption, Path file, String variable) {
        ParseResult parsed = spec.commandLine().getParseResult();
        boolean given = parsed.hasMatchedOption(option);
        boolean server = spec.root().userObject() instanceof org.tollgate.app.TollgateMain m && m.inServer();
        if (server && !given && file == null) {
            // the default is the environment's: the server's, not the caller's
            throw new ParameterException(spec.commandLine(), "no " + option.substring(2) + ": give " + option
                    + " alone (asked for) or " + fileOption + " FILE; a server does not read " + variable + " for you");
        }
        if (value != null && org.tollgate.app.TollgateMain.SECRET_FROM_STDIN.equals(new String(value))) {
            value = stdinLine(spec, option);
            if (file != null) {
                throw new ParameterException(spec.commandLine(), "give either " + option + " or " + fileOption + ", not both");
            }
            if (value.length == 0) {
                throw new ParameterException(spec.commandLine(), "the " + option.substring(2) + " is empty");
            }
            return new String(value);
        }
        String forms = option + " alone (asked for, or read from stdin), " + fileOption + " FILE or " + variable;
        if (given && file != null) {
            throw new ParameterException(spec.commandLine(), "give either " + option + " or " + fileOption + ", not both");
        }
        String secret;
        if (file != null) {
            secret = fromFile(spec, fileOption, file);
        } else if (value != null) {
            secret = new String(value);
            if (given && !MASKED.equals(originalValue(parsed, option))) {
                System.err.println(spec.qualifiedName(" ") + ": warning: " + option + " VALUE on the command line is "
                        + "visible to other local users (ps); use " + forms);
            }
        } else {
            throw new ParameterException(spec.commandLine(), "no " + option.substring(2) + ": give " + forms);
        }
        if (secret.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "the " + option.substring(2) + " is empty");
        }
        return secret;
    }

    private static char[] stdinLine(CommandSpec spec, String option) {
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return line == null ? new char[0] : line.toCharArray();
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read the " + option.substring(2) + ": " + e.getMessage());
        }
    }

    private static String originalValue(ParseResult parsed, String option) {
        List<String> values = parsed.matchedOption(option).originalStringValues();
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    /** The file's one line (a final line break is not part of the secret). */
    private static String fromFile(CommandSpec spec, String fileOption, Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read " + fileOption + " " + file + ": " + e);
        }
        String secret = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (secret.contains("\n")) {
            throw new ParameterException(spec.commandLine(), fileOption + " " + file + " has more than one line");
        }
        return secret;
    }
}
