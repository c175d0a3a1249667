package org.tollgate.aaa.radius.client;

import org.tollgate.api.net.Cidr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tollgate.aaa.radius.ImportException;
import org.tollgate.aaa.radius.dictionary.DictionaryProfile;

/**
 * Reads the {@code client} sections of a FreeRADIUS {@code clients.conf}: ipaddr / ipv4addr /
 * ipv6addr (with CIDR or the old netmask), secret, shortname, nas_type,
 * require_message_authenticator, and our own dictionary_profile and prepaid_authorize. Nested sections
 * (limit { … }) and unknown keys are ignored, as FreeRADIUS ignores what it does not use.
 */
public final class ClientsConfParser {

    private ClientsConfParser() {
    }

    public static List<NasClient> parse(String fileName, String text) throws ImportException {
        List<String> problems = new ArrayList<>();
        List<NasClient> clients = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<Cidr> addresses = new HashSet<>();

        String[] lines = text.split("\r?\n", -1);
        String blockName = null;
        int blockLine = 0;
        int depth = 0;
        Map<String, String> keys = new HashMap<>();
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = stripComment(lines[i]).trim();
            if (line.isEmpty()) {
                continue;
            }
            if (blockName == null) {
                if (line.startsWith("client ") || line.startsWith("client\t")) {
                    String rest = line.substring(6).trim();
                    if (!rest.endsWith("{")) {
                        problems.add("line " + lineNo + ": expected 'client NAME {'");
                        continue;
                    }
                    blockName = unquote(rest.substring(0, rest.length() - 1).trim());
                    blockLine = lineNo;
                    depth = 1;
                    keys.clear();
                } else {
                    problems.add("line " + lineNo + ": unexpected '" + line + "' outside a client section");
                }
                continue;
            }
            if (line.endsWith("{")) {
                depth++;
                continue;
            }
            if (line.equals("}")) {
                depth--;
                if (depth == 0) {
                    toClient(blockName, blockLine, keys, problems, names, addresses, clients);
                    blockName = null;
                }
                continue;
            }
            if (depth > 1) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                problems.add("line " + lineNo + ": expected 'key = value'");
                continue;
            }
            keys.put(line.substring(0, eq).trim().toLowerCase(), unquote(line.substring(eq + 1).trim()));
        }
        if (blockName != null) {
            problems.add("line " + blockLine + ": client " + blockName + " is not closed with '}'");
        }
        if (!problems.isEmpty()) {
            throw new ImportException(fileName, problems);
        }
        return clients;
    }

    private static void toClient(String blockName, int line, Map<String, String> keys, List<String> problems,
                                 Set<String> names, Set<Cidr> addresses, List<NasClient> out) {
        String where = "line " + line + ": client " + blockName + ": ";
        String address = firstOf(keys, "ipaddr", "ipv4addr", "ipv6addr");
        if (address == null) {
            address = blockName; // old style: the section name is the address
        }
        if (keys.containsKey("netmask") && !address.contains("/")) {
            address = address + "/" + keys.get("netmask");
        }
        if (address.equals("*")) {
            address = "0.0.0.0/0";
        }
        String secret = keys.get("secret");
        String name = keys.getOrDefault("shortname", blockName);
        try {
            Cidr cidr = Cidr.parse(address);
            if (secret == null || secret.isEmpty()) {
                problems.add(where + "no secret");
                return;
            }
            DictionaryProfile profile = DictionaryProfile.of(keys.getOrDefault("dictionary_profile", "sip-acc"));
            MessageAuthenticatorPolicy requireMa;
            try {
                requireMa = MessageAuthenticatorPolicy.parse(keys.getOrDefault("require_message_authenticator", "auto"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("require_message_authenticator must be yes, no or auto, not "
                        + keys.get("require_message_authenticator"));
            }
            boolean prepaidAuthorize = yes("prepaid_authorize", keys.getOrDefault("prepaid_authorize", "no"));
            if (!names.add(name)) {
                problems.add(where + "duplicate name " + name);
                return;
            }
            if (!addresses.add(cidr)) {
                problems.add(where + "duplicate address " + cidr);
                return;
            }
            out.add(new NasClient(name, cidr, secret, keys.get("nas_type"), profile, requireMa, prepaidAuthorize));
        } catch (IllegalArgumentException e) {
            problems.add(where + e.getMessage());
        }
    }

    private static boolean yes(String key, String v) {
        return switch (v.toLowerCase()) {
            case "yes", "true", "1", "on", "auto" -> true;
            case "no", "false", "0", "off" -> false;
            default -> throw new IllegalArgumentException(key + " must be yes or no, not " + v);
        };
    }

    private static String firstOf(Map<String, String> keys, String... names) {
        for (String n : names) {
            if (keys.containsKey(n)) {
                return keys.get(n);
            }
        }
        return null;
    }

    private static String stripComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            } else if (c == '#' && quote == 0) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
