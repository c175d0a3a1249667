package org.tollgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * README is a promise: every {@code ./tollgate} command it quotes (in a code block or inline) is
 * parsed by the real command line — an option renamed or a command removed fails here — and every
 * option the command table names exists on the command it names.
 */
class ReadmeCommandsTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Pattern INLINE = Pattern.compile("`(\\./tollgate [^`]+)`");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\| (`.+?`) \\|", Pattern.MULTILINE);
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])(--[a-z][a-z-]*)");

    @Test
    void everyQuotedCommandParses() throws IOException {
        List<String> commands = quotedCommands(Files.readString(README));
        assertThat(commands).hasSizeGreaterThan(20);
        List<String> problems = new ArrayList<>();
        for (String c : commands) {
            List<String> words = words(c);
            try {
                TollgateMain.commandLine().parseArgs(words.subList(1, words.size()).toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                problems.add(c + "  ->  " + e.getMessage());
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyOptionInTheCommandTableExists() throws IOException {
        String text = Files.readString(README);
        String table = text.substring(text.indexOf("## Command line"), text.indexOf("## How it behaves"));
        CommandLine root = TollgateMain.commandLine();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        Matcher rows = TABLE_ROW.matcher(table);
        while (rows.find()) {
            Matcher usages = CODE.matcher(rows.group(1));
            while (usages.find()) {
                String usage = usages.group(1).replace("\\|", "|");
                CommandLine cmd = root;
                for (String w : usage.split(" ")) {
                    // list|search|missed: the first of the alternatives
                    CommandLine sub = cmd.getSubcommands().get(w.split("\\|")[0]);
                    if (sub == null) {
                        break;
                    }
                    cmd = sub;
                }
                if (cmd == root) {
                    problems.add("no such command: " + usage);
                    continue;
                }
                Matcher options = OPTION.matcher(usage);
                while (options.find()) {
                    checked++;
                    if (cmd.getCommandSpec().findOption(options.group(1)) == null
                            && root.getCommandSpec().findOption(options.group(1)) == null) {
                        problems.add(usage + ": " + cmd.getCommandName() + " has no " + options.group(1));
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(60);
        assertThat(problems).isEmpty();
    }

    /** {@code ./tollgate …} lines of code blocks (continuations joined, comments and {@code &} dropped) and inline. */
    static List<String> quotedCommands(String readme) {
        List<String> out = new ArrayList<>();
        boolean inCode = false;
        StringBuilder pending = null;
        for (String line : readme.split("\n")) {
            if (line.strip().startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            if (!inCode) {
                Matcher m = INLINE.matcher(line);
                while (m.find()) {
                    out.add(m.group(1));
                }
                continue;
            }
            String l = line.strip();
            if (pending != null) {
                pending.append(' ').append(l);
            } else {
                int at = l.indexOf("./tollgate ");
                if (at < 0 || (at > 0 && !l.substring(0, at).matches("([A-Z_]+=\\S*\\s+)*"))) {
                    continue;
                }
                pending = new StringBuilder(l.substring(at));
            }
            if (pending.toString().endsWith("\\")) {
                pending.setLength(pending.length() - 1);
                continue;
            }
            String c = pending.toString().replaceAll("\\s+#.*$", "").replaceAll("\\s*&$", "").strip();
            out.add(c);
            pending = null;
        }
        return out;
    }

    /** The words a POSIX shell makes of a simple command: quotes and backslashes, no expansion. */
    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder w = null;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (Character.isWhitespace(c)) {
                if (w != null) {
                    words.add(w.toString());
                    w = null;
                }
                continue;
            }
            if (w == null) {
                w = new StringBuilder();
            }
            if (c == '\'') {
                int end = command.indexOf('\'', i + 1);
                w.append(command, i + 1, end);
                i = end;
            } else if (c == '"') {
                int end = command.indexOf('"', i + 1);
                w.append(command, i + 1, end);
                i = end;
            } else if (c == '\\' && i + 1 < command.length()) {
                w.append(command.charAt(++i));
            } else {
                w.append(c);
            }
        }
        if (w != null) {
            words.add(w.toString());
        }
        return words;
    }
}
