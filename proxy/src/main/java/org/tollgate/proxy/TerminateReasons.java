package org.tollgate.proxy;

/** The values of Tollgate-Terminate-Reason the proxy writes on a Stop it makes itself. */
final class TerminateReasons {

    static final String CREDIT_EXHAUSTED = "credit-exhausted";
    static final String AAA_UNAVAILABLE = "aaa-unavailable";
    static final String AAA_UNAVAILABLE_CAP = "aaa-unavailable-cap";
    /** The media relay saw no packet for its timeout: the call is billed to its last packet. */
    static final String MEDIA_TIMEOUT = "media-timeout";

    private TerminateReasons() {
    }
}
