package org.tollgate.aaa.radius.client;

import java.util.Locale;

/**
 * Whether a NAS's Access-Requests must carry a Message-Authenticator (BlastRADIUS), as FreeRADIUS
 * 3.2.5's {@code require_message_authenticator}: {@code yes}, {@code no}, or {@code auto} —
 * required once the client has sent one that verified, so a NAS that never sends one (Kamailio's
 * auth_radius through radcli) keeps working and one that does can no longer be spoofed without.
 */
public enum MessageAuthenticatorPolicy {
    YES, NO, AUTO;

    /** {@code yes}, {@code no}, {@code auto} (also true/false, 1/0, on/off, as clients.conf allows), any case. */
    public static MessageAuthenticatorPolicy parse(String s) {
        String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "yes", "true", "1", "on" -> YES;
            case "no", "false", "0", "off" -> NO;
            case "auto" -> AUTO;
            default -> throw new IllegalArgumentException("Message-Authenticator policy must be yes, no or auto, not '"
                    + s + "'");
        };
    }

    /** {@code yes}, {@code no} or {@code auto}, as stored and printed. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
