package org.tollgate.api;

/**
 * Accounting attributes Tollgate itself defines (dictionaries/dictionary.tollgate), by the names
 * the proxy writes and the CDR engine reads.
 */
public final class TollgateAttributes {

    /** When the proxy received the INVITE (ISO-8601 instant): the CDR's setup time. */
    public static final String SETUP_TIME = "Tollgate-Setup-Time";
    /** The reason phrase of a failed call's final response. */
    public static final String SIP_REASON = "Tollgate-Sip-Reason";
    /** Multi-leg info of a forwarded call: who forwarded a leg, and to whom (acc's multi_leg_info). */
    public static final String LEG_SRC = "Tollgate-Leg-Src";
    public static final String LEG_DST = "Tollgate-Leg-Dst";

    /**
     * Why the proxy ended a call, beside its Acct-Terminate-Cause: {@code credit-exhausted} (the
     * last prepaid grant ran out), {@code aaa-unavailable} (no server answered its re-authorization)
     * or {@code aaa-unavailable-cap} (let through until the failure maximum, to be settled).
     */
    public static final String TERMINATE_REASON = "Tollgate-Terminate-Reason";

    private TollgateAttributes() {
    }
}
