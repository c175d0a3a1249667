package org.tollgate.proxy;

/** The values of Tollgate-Terminate-Reason the proxy writes on a Stop it makes itself. */
final class TerminateReasons {

    static final String CREDIT_EXHAUSTED = "credit-exhausted";
    static final String AAA_UNAVAILABLE = "aaa-unavailable";
    static final String AAA_UNAVAILABLE_CAP = "aaa-unavailable-cap";

    private TerminateReasons() {
    }
}
