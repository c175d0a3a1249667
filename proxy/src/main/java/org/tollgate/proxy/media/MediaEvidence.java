package org.tollgate.proxy.media;

import java.time.Instant;
import java.util.List;

/**
 * Where the proxy keeps what the relay said of its calls' media: the last packet of each call, so
 * a call whose Stop never arrives (the proxy crashed) is repaired to it by the CDR engine.
 */
@FunctionalInterface
public interface MediaEvidence {

    /** A call's last media packet as the relay reported it. */
    record Seen(String callId, Instant lastPacket) { }

    /** Stores the calls' latest last packets (replacing older ones of the same calls). */
    void record(List<Seen> seen);

    /** Keeps nothing. */
    static MediaEvidence none() {
        return seen -> { };
    }
}
