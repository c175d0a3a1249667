package org.tollgate.proxy.aaa;

import java.util.concurrent.CompletionStage;

/** Asks the AAA server about subscribers, as Kamailio's auth_radius and group_radius do. */
public interface SubscriberAuthority extends AutoCloseable {

    /** Checks digest credentials (Access-Request, Service-Type Sip-Session, Digest-* attributes). */
    CompletionStage<DigestVerdict> verifyDigest(DigestCheck check);

    /**
     * Whether {@code user} ("user@domain") is in {@code group} (Access-Request with Service-Type
     * Group-Check and Sip-Group; Access-Accept means yes). Completes exceptionally when no
     * server answers. Answers may be cached for a short, configurable time.
     */
    CompletionStage<Boolean> isMember(String user, String group);

    @Override
    void close();
}
