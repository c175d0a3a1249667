package org.tollgate.aaa.radius.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the FreeRADIUS {@code users} file syntax: an entry is a name (or DEFAULT) followed by
 * comma-separated check items on the first line, then reply items on indented lines, each but
 * the last ending with a comma. Problems are collected with their line numbers.
 */
public final class UsersFileParser {

    /** One entry with the line it starts on. */
    public record Entry(int line, String name, List<Item> checks, List<Item> replies) { }

    /** One item with its line, for error messages. */
    public record Item(int line, String attribute, String op, String value) { }

    private static final String[] OPERATORS = {":=", "==", "+=", "!=", ">=", "<=", "=~", "!~", "=*", "!*", "=", ">", "<"};

    private UsersFileParser() {
    }

    public static List<Entry> parse(String text, List<String> problems) {
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        Entry current = null;
        boolean expectReply = false;
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String raw = lines[i];
            String content = stripComment(raw);
            if (content.isBlank()) {
                continue;
            }
            boolean indented = Character.isWhitespace(raw.charAt(0));
            if (!indented) {
                // a new entry: NAME check, check, ...
                Cursor c = new Cursor(content.trim(), lineNo);
                String name = c.word();
                if (name == null || name.isEmpty()) {
                    problems.add("line " + lineNo + ": expected a user name");
                    current = null;
                    continue;
                }
                List<Item> checks = new ArrayList<>();
                c.items(checks, problems);
                current = new Entry(lineNo, name, checks, new ArrayList<>());
                entries.add(current);
                expectReply = true;
                continue;
            }
            if (current == null || !expectReply) {
                problems.add("line " + lineNo + ": reply item outside an entry (missing comma on the line before?)");
                continue;
            }
            String trimmed = content.trim();
            Cursor c = new Cursor(trimmed, lineNo);
            c.items(current.replies(), problems);
            expectReply = trimmed.endsWith(",");
        }
        return entries;
    }

    private static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '\\' && quoted) {
                i++;
            } else if (ch == '"') {
                quoted = !quoted;
            } else if (ch == '#' && !quoted) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** Tokenizes one line of items: {@code Attr op value [, Attr op value]…}. */
    private static final class Cursor {
        private final String s;
        private final int line;
        private int pos;

        Cursor(String s, int line) {
            this.s = s;
            this.line = line;
        }

        String word() {
            skipSpaces();
            if (pos < s.length() && s.charAt(pos) == '"') {
                return quoted();
            }
            int start = pos;
            while (pos < s.length() && !Character.isWhitespace(s.charAt(pos)) && s.charAt(pos) != ',') {
                pos++;
            }
            return s.substring(start, pos);
        }

        void items(List<Item> out, List<String> problems) {
            while (true) {
                skipSpaces();
                if (pos >= s.length()) {
                    return;
                }
                int start = pos;
                while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || "-_.".indexOf(s.charAt(pos)) >= 0)) {
                    pos++;
                }
                String attr = s.substring(start, pos);
                skipSpaces();
                String op = null;
                for (String o : OPERATORS) {
                    if (s.startsWith(o, pos)) {
                        op = o;
                        pos += o.length();
                        break;
                    }
                }
                if (attr.isEmpty() || op == null) {
                    problems.add("line " + line + ": expected 'Attribute op value' at '" + s.substring(start) + "'");
                    return;
                }
                skipSpaces();
                String value;
                if (pos < s.length() && s.charAt(pos) == '"') {
                    value = quoted();
                    if (value == null) {
                        problems.add("line " + line + ": unterminated string for " + attr);
                        return;
                    }
                } else {
                    int vs = pos;
                    while (pos < s.length() && s.charAt(pos) != ',') {
                        pos++;
                    }
                    value = s.substring(vs, pos).trim();
                }
                out.add(new Item(line, attr, op, value));
                skipSpaces();
                if (pos < s.length()) {
                    if (s.charAt(pos) != ',') {
                        problems.add("line " + line + ": expected ',' after " + attr);
                        return;
                    }
                    pos++;
                }
            }
        }

        private String quoted() {
            StringBuilder b = new StringBuilder();
            pos++; // opening quote
            while (pos < s.length()) {
                char ch = s.charAt(pos++);
                if (ch == '\\' && pos < s.length()) {
                    char e = s.charAt(pos++);
                    b.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        default -> e;
                    });
                } else if (ch == '"') {
                    return b.toString();
                } else {
                    b.append(ch);
                }
            }
            return null;
        }

        private void skipSpaces() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }
    }
}
