package org.tollgate.diameter;

import org.jdiameter.api.Avp;
import org.jdiameter.api.AvpDataException;
import org.jdiameter.api.AvpSet;

/** Reading request AVPs strictly: a malformed one is a {@link BadRequest} naming it. */
public final class Avps {

    private Avps() {
    }

    /** An Unsigned32 (or Enumerated) AVP's value; -1 when absent and not {@code required} (then 5005). */
    public static long unsigned32(AvpSet avps, int code, boolean required) throws BadRequest {
        Avp a = avps.getAvp(code);
        if (a == null) {
            if (required) {
                throw new BadRequest(Answers.MISSING_AVP, code, "AVP " + code + " missing");
            }
            return -1;
        }
        try {
            if (a.getRaw().length != 4) {
                throw new BadRequest(Answers.INVALID_AVP_LENGTH, a, "AVP " + code + " must be 4 octets");
            }
            return a.getUnsigned32();
        } catch (AvpDataException e) {
            throw new BadRequest(Answers.INVALID_AVP_VALUE, a, "AVP " + code + " is not readable");
        }
    }
}
