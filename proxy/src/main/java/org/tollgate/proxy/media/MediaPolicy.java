package org.tollgate.proxy.media;

import java.util.Locale;

/** Which calls go through the media relay: every call, only calls with a phone behind NAT, or none. */
public enum MediaPolicy {
    ALWAYS, NAT, NEVER;

    /** {@code always}, {@code nat} or {@code never}, any case. */
    public static MediaPolicy parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("media policy must be always, nat or never, not '" + s + "'");
        }
    }

    /** True when a call under this policy goes through the relay; {@code behindNat}: a party of it is. */
    public boolean relays(boolean behindNat) {
        return this == ALWAYS || this == NAT && behindNat;
    }
}
