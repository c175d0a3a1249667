package org.tollgate.proxy.location;

import java.time.Instant;

/** One registered contact of an address of record ("user@domain"). */
public record Binding(String aor, String contact, Instant expiresAt, Float q, String callId, long cseq,
                      String received, String userAgent) {
}
