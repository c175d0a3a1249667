package org.tollgate.proxy.aaa;

import java.util.concurrent.CompletionStage;

/** Asks the AAA server about subscribers, as Kamailio's auth_radius and group_radius do. */
public interface SubscriberAuthority extends AutoCloseable {

    /** Checks digest credentials (Access-Request, Service-Type Sip-Session, Digest-* attributes). */
    default CompletionStage<DigestVerdict> verifyDigest(DigestCheck check) {
        return verifyDigest(check, null);
    }

    /**
     * Checks digest credentials and, with {@code call}, asks in the same request for the call's
     * prepaid authorization (a prepaid account's Accept carries the grant; others answer as to any
     * digest check). Sent again with the seconds used, it is the call's re-authorization.
     */
    CompletionStage<DigestVerdict> verifyDigest(DigestCheck check, CallAuthorization call);

    /**
     * A prepaid authorization without credentials for {@code user} (a caller the proxy trusts): an
     * Accept with a grant, an Accept without one (not prepaid), or a Reject saying why.
     */
    CompletionStage<DigestVerdict> authorizeCall(String user, CallAuthorization call);

    /**
     * Whether {@code user} ("user@domain") is in {@code group} (Access-Request with Service-Type
     * Group-Check and Sip-Group; Access-Accept means yes). Completes exceptionally when no
     * server answers. Answers may be cached for a short, configurable time.
     */
    CompletionStage<Boolean> isMember(String user, String group);

    @Override
    void close();
}
