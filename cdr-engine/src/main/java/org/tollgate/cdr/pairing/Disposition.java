package org.tollgate.cdr.pairing;

/** How a call ended, from the final SIP code of a call that did not connect. */
public enum Disposition {
    ANSWERED, BUSY, CANCELLED, NO_ANSWER, NOT_FOUND, FORBIDDEN, FAILED;

    public static Disposition ofFailure(Integer code) {
        if (code == null) {
            return FAILED;
        }
        switch (code) {
            case 486: case 600: return BUSY;
            case 487: return CANCELLED;
            case 408: case 480: return NO_ANSWER;
            case 404: case 604: return NOT_FOUND;
            case 403: return FORBIDDEN;
            default: return FAILED;
        }
    }
}
