package org.tollgate.cdr.pairing;

/** How the end of a call whose BYE never came was found, best evidence first. */
public enum Repair {
    /** A media relay's idle or lost-service record, or a media event posted to the API: the last media. */
    MEDIA_TIMEOUT,
    /** The last refresh (Interim-Update or Start) plus the negotiated session interval. */
    SESSION_TIMER,
    /** Accounting-On/Off from the NAS that carried the call. */
    NAS_REBOOT,
    /** No evidence: the answer plus the configured maximum, listed for review. */
    UNTERMINATED
}
