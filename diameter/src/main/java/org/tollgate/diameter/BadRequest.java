package org.tollgate.diameter;

import org.jdiameter.api.Avp;

/** A request Tollgate cannot act on: the Result-Code to answer and the AVP at fault (or the code of a missing one). */
public final class BadRequest extends Exception {

    private final long resultCode;
    private final transient Avp avp;
    private final int missingCode;

    public BadRequest(long resultCode, Avp avp, String message) {
        super(message, null, false, false);
        this.resultCode = resultCode;
        this.avp = avp;
        this.missingCode = -1;
    }

    public BadRequest(long resultCode, int missingCode, String message) {
        super(message, null, false, false);
        this.resultCode = resultCode;
        this.avp = null;
        this.missingCode = missingCode;
    }

    public long resultCode() {
        return resultCode;
    }

    /** The offending AVP, or null for a missing one. */
    public Avp avp() {
        return avp;
    }

    /** The code of the missing AVP, or -1. */
    public int missingCode() {
        return missingCode;
    }
}
