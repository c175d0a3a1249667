package org.tollgate.diameter.cc;

import java.util.Locale;
import org.jdiameter.api.Avp;
import org.jdiameter.api.AvpDataException;
import org.jdiameter.api.AvpSet;
import org.jdiameter.api.Message;
import org.tollgate.diameter.Avps;
import org.tollgate.diameter.BadRequest;

/**
 * A Credit-Control-Request as Tollgate reads it (RFC 4006 §3.1). The account is the first
 * Subscription-Id's data (a SIP URI without its scheme) or else the User-Name; the destination
 * the Called-Station-Id. Units are CC-Time seconds (-1 when absent). The call, for the prepaid
 * engine and the CDRs, is the SIP call id (Kamailio acc's SIP-Callid) when the request has one,
 * else the Session-Id: a call accounted by ACR with SIP-Callid is then the same call whose CDR the
 * nightly settlement finds already debited.
 */
record Ccr(String sessionId, Type type, long number, String account, String destination, long requestedSeconds,
           long usedSeconds, Action action, String callId) {

    static final int CC_REQUEST_NUMBER = 415;
    static final int CC_REQUEST_TYPE = 416;
    static final int CC_TIME = 420;
    static final int REQUESTED_ACTION = 436;
    static final int REQUESTED_SERVICE_UNIT = 437;
    static final int SERVICE_CONTEXT_ID = 461;
    static final int SUBSCRIPTION_ID = 443;
    static final int SUBSCRIPTION_ID_DATA = 444;
    static final int USED_SERVICE_UNIT = 446;
    static final int CALLED_STATION_ID = 30;
    static final int SIP_CALLID = 550;

    enum Type { INITIAL, UPDATE, TERMINATION, EVENT }

    enum Action { DIRECT_DEBITING, REFUND_ACCOUNT, CHECK_BALANCE, PRICE_ENQUIRY }

    static Ccr read(Message m) throws BadRequest {
        AvpSet avps = m.getAvps();
        String session = m.getSessionId();
        if (session == null) {
            throw new BadRequest(5005, Avp.SESSION_ID, "Session-Id missing");
        }
        long typeCode = integer(avps, CC_REQUEST_TYPE, true);
        if (typeCode < 1 || typeCode > 4) {
            throw new BadRequest(5004, avps.getAvp(CC_REQUEST_TYPE), "CC-Request-Type must be 1-4");
        }
        Type type = Type.values()[(int) typeCode - 1];
        long number = integer(avps, CC_REQUEST_NUMBER, true);
        if (avps.getAvp(SERVICE_CONTEXT_ID) == null) {
            throw new BadRequest(5005, SERVICE_CONTEXT_ID, "Service-Context-Id missing");
        }
        Action action = Action.DIRECT_DEBITING;
        if (type == Type.EVENT) {
            long a = integer(avps, REQUESTED_ACTION, false);
            if (a > 3) {
                throw new BadRequest(5004, avps.getAvp(REQUESTED_ACTION), "Requested-Action must be 0-3");
            }
            action = a < 0 ? Action.DIRECT_DEBITING : Action.values()[(int) a];
        }
        String account = account(avps);
        String destination = text(avps.getAvp(CALLED_STATION_ID));
        if (type == Type.INITIAL || type == Type.EVENT) {
            if (account == null) {
                throw new BadRequest(5005, SUBSCRIPTION_ID, "Subscription-Id (or User-Name) missing: whose call?");
            }
            if (destination == null && action != Action.REFUND_ACCOUNT) {
                throw new BadRequest(5005, CALLED_STATION_ID, "Called-Station-Id missing: which destination?");
            }
        }
        String sipCallId = text(avps.getAvp(SIP_CALLID));
        return new Ccr(session, type, number, account, destination, units(avps, REQUESTED_SERVICE_UNIT),
                used(avps), action, sipCallId != null ? sipCallId : session);
    }

    private static String account(AvpSet avps) throws BadRequest {
        Avp sub = avps.getAvp(SUBSCRIPTION_ID);
        String s = null;
        if (sub != null) {
            try {
                s = text(sub.getGrouped().getAvp(SUBSCRIPTION_ID_DATA));
            } catch (AvpDataException e) {
                throw new BadRequest(5004, sub, "Subscription-Id is not a grouped AVP");
            }
        }
        if (s == null) {
            s = text(avps.getAvp(Avp.USER_NAME));
        }
        if (s == null) {
            return null;
        }
        String lower = s.toLowerCase(Locale.ROOT);
        for (String scheme : new String[] {"sip:", "sips:", "tel:"}) {
            if (lower.startsWith(scheme)) {
                return s.substring(scheme.length());
            }
        }
        return s;
    }

    /** CC-Time of the first unit AVP of this code, -1 when absent. */
    private static long units(AvpSet avps, int code) throws BadRequest {
        Avp unit = avps.getAvp(code);
        if (unit == null) {
            return -1;
        }
        try {
            Avp time = unit.getGrouped().getAvp(CC_TIME);
            return time == null ? -1 : time.getUnsigned32();
        } catch (AvpDataException e) {
            throw new BadRequest(5004, unit, "unit AVP " + code + " is not readable");
        }
    }

    /** The CC-Time of every Used-Service-Unit, summed (a client may report several periods). */
    private static long used(AvpSet avps) throws BadRequest {
        long sum = -1;
        for (Avp u : avps.getAvps(USED_SERVICE_UNIT)) {
            try {
                Avp time = u.getGrouped().getAvp(CC_TIME);
                if (time != null) {
                    sum = Math.max(sum, 0) + time.getUnsigned32();
                }
            } catch (AvpDataException e) {
                throw new BadRequest(5004, u, "Used-Service-Unit is not readable");
            }
        }
        return sum;
    }

    private static long integer(AvpSet avps, int code, boolean required) throws BadRequest {
        return Avps.unsigned32(avps, code, required);
    }

    private static String text(Avp a) throws BadRequest {
        if (a == null) {
            return null;
        }
        try {
            String s = a.getUTF8String().trim();
            return s.isEmpty() || s.indexOf('\0') >= 0 ? null : s;
        } catch (AvpDataException e) {
            throw new BadRequest(5004, a, "AVP " + a.getCode() + " is not UTF-8 text");
        }
    }
}
