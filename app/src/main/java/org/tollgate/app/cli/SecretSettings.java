package org.tollgate.app.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Settings that are secrets (the database password, the admin token, the proxy's RADIUS secret,
 * anything named like a password, secret or token) given where every local user can read them:
 * a {@code -D} on the command line. Each gets a one-line warning naming the ways in that
 * {@code ps} does not show.
 */
public final class SecretSettings {

    private static final Pattern SECRET_NAME = Pattern.compile("password|secret|token");
    private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)[?&;]password=");

    private SecretSettings() {
    }

    /** The warnings for {@code -D} options of the tollgate command and for {@code java -D} system properties. */
    public static List<String> warnings(Map<String, String> options, Properties system) {
        List<String> lines = new ArrayList<>();
        options.forEach((key, value) -> warning(key, value, "-D" + key + " on the command line").ifPresent(lines::add));
        for (String key : system.stringPropertyNames()) {
            if (key.startsWith("tollgate.") || key.startsWith("spring.")) {
                warning(key, system.getProperty(key), "the JVM option -D" + key).ifPresent(lines::add);
            }
        }
        return lines;
    }

    private static Optional<String> warning(String key, String value, String where) {
        if (isSecret(key)) {
            return Optional.of("tollgate: warning: " + where + " is visible to other local users (ps); set "
                    + environmentVariable(key) + " in the environment or put it in ./application.yml instead");
        }
        if (key.endsWith(".url") && value != null && PASSWORD_IN_URL.matcher(value).find()) {
            return Optional.of("tollgate: warning: " + where + " carries a password, visible to other local "
                    + "users (ps); set it as SPRING_DATASOURCE_PASSWORD in the environment or in ./application.yml instead");
        }
        return Optional.empty();
    }

    /** Whether the key's last segment names a secret (a {@code *-file} key names where one is, not the secret). */
    static boolean isSecret(String key) {
        String last = key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return SECRET_NAME.matcher(last).find() && !last.endsWith("file");
    }

    /** The environment variable Spring's relaxed binding reads for {@code key}, e.g. TOLLGATE_API_TOKEN. */
    static String environmentVariable(String key) {
        return key.replace("[", "_").replace("]", "").replace('.', '_').replace("-", "").toUpperCase(Locale.ROOT);
    }
}
