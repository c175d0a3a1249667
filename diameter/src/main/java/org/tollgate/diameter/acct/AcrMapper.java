package org.tollgate.diameter.acct;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdiameter.api.Avp;
import org.jdiameter.api.AvpDataException;
import org.jdiameter.api.AvpSet;
import org.jdiameter.api.Message;
import org.tollgate.api.AccountingEvent;
import org.tollgate.api.AccountingKeys;
import org.tollgate.api.AccountingStatus;
import org.tollgate.diameter.Avps;
import org.tollgate.diameter.BadRequest;
import org.tollgate.diameter.dictionary.AvpPrinter;
import org.tollgate.diameter.peer.DiameterPeer;

/**
 * Reads an ACR into an {@link AccountingEvent}, the same record RADIUS accounting makes.
 *
 * <p>The record key is the Origin-Host, Session-Id, Accounting-Record-Type and
 * Accounting-Record-Number (RFC 6733 §9.8.3: together they identify a record; a retransmission
 * repeats them), so a retransmission maps to the row already stored, with or without the T flag.
 * The call is the SIP call id of Kamailio's acc AVPs (SIP-Callid and the tags) when present, so a
 * call reported over RADIUS and Diameter is one call leg to the CDR engine; else Acct-Session-Id,
 * else the Session-Id.
 */
public final class AcrMapper {

    static final int ACCT_SESSION_ID = 44;
    static final int ACCT_SESSION_TIME = 46;
    static final int ACCT_DELAY_TIME = 41;
    static final int CALLED_STATION_ID = 30;
    static final int CALLING_STATION_ID = 31;
    static final int EVENT_TIMESTAMP = 55;
    static final int RECORD_NUMBER = 485;
    static final int RECORD_TYPE = 480;
    static final int TERMINATION_CAUSE = 295;
    static final int SUBSCRIPTION_ID = 443;
    static final int SUBSCRIPTION_ID_DATA = 444;
    static final int SIP_CALLID = 550;
    static final int SIP_METHOD = 551;
    static final int SIP_STATUS = 552;
    static final int SIP_FROM_TAG = 553;
    static final int SIP_TO_TAG = 554;
    static final int SIP_CODE = 564;

    private final AvpPrinter printer;

    public AcrMapper(AvpPrinter printer) {
        this.printer = printer;
    }

    /** A well-formed ACR's record; {@link BadRequest} names the AVP that makes it malformed. */
    public AccountingEvent map(Message acr, DiameterPeer peer, String sourceAddress, Instant receivedAt)
            throws BadRequest {
        AvpSet avps = acr.getAvps();
        int recordType = (int) Avps.unsigned32(avps, RECORD_TYPE, true);
        if (recordType < 1 || recordType > 4) {
            throw new BadRequest(5004, avps.getAvp(RECORD_TYPE), "Accounting-Record-Type must be 1-4");
        }
        long recordNumber = Avps.unsigned32(avps, RECORD_NUMBER, true);
        String sessionId = acr.getSessionId();
        if (sessionId == null) {
            throw new BadRequest(5005, Avp.SESSION_ID, "Session-Id missing");
        }
        String originHost = text(avps, Avp.ORIGIN_HOST);

        Long eventTimestamp = time(avps, EVENT_TIMESTAMP);
        Long delay = optionalUnsigned(avps, ACCT_DELAY_TIME);
        MessageDigest digest = AccountingKeys.md5();
        digest.update(("diameter\u0000" + originHost + "\u0000" + sessionId + "\u0000" + recordType + "\u0000"
                + recordNumber).getBytes(StandardCharsets.UTF_8));
        byte[] keyBytes = digest.digest();
        if (eventTimestamp != null) {
            // as RADIUS: time-led keys make the primary key grow at its end
            for (int i = 0; i < 5; i++) {
                keyBytes[i] = (byte) (eventTimestamp >>> (8 * (4 - i)));
            }
        }
        Instant eventTime = eventTimestamp != null ? Instant.ofEpochSecond(eventTimestamp)
                : receivedAt.minusSeconds(delay == null ? 0 : delay);

        String sipCallId = text(avps, SIP_CALLID);
        String acctSessionId = sipCallId != null ? sipCallId : text(avps, ACCT_SESSION_ID);
        if (acctSessionId == null) {
            acctSessionId = sessionId;
        }
        String fromTag = text(avps, SIP_FROM_TAG);
        String toTag = text(avps, SIP_TO_TAG);
        Integer sipCode = sipCode(avps);
        String user = text(avps, Avp.USER_NAME);
        if (user == null) {
            user = subscription(avps);
        }
        AccountingStatus status = switch (recordType) {
            case 2 -> AccountingStatus.START;
            case 3 -> AccountingStatus.INTERIM_UPDATE;
            case 4 -> AccountingStatus.STOP;
            // the acc module reports a failed call as one event record with its final reply
            default -> sipCode != null && sipCode >= 300 ? AccountingStatus.FAILED : AccountingStatus.OTHER;
        };
        List<AccountingEvent.Attribute> attributes = new ArrayList<>();
        for (Avp a : avps) {
            attributes.add(new AccountingEvent.Attribute(printer.name(a), printer.value(a)));
        }
        Long sessionTime = optionalUnsigned(avps, ACCT_SESSION_TIME);
        Long cause = optionalUnsigned(avps, TERMINATION_CAUSE);
        return new AccountingEvent(AccountingKeys.uuid(keyBytes),
                AccountingKeys.sessionKey(acctSessionId, fromTag, toTag, sessionId), receivedAt, eventTime,
                peer.name(), sourceAddress, status, status == AccountingStatus.OTHER ? recordType : status.code(),
                acctSessionId, sessionId, user, text(avps, CALLING_STATION_ID), text(avps, CALLED_STATION_ID),
                text(avps, SIP_METHOD), sipCode, fromTag, toTag, null, null, null, null, sessionTime,
                cause == null ? null : radiusTerminateCause(cause.intValue()),
                delay == null ? null : delay.intValue(), attributes);
    }

    /**
     * Diameter's Termination-Cause as RADIUS's Acct-Terminate-Cause, which the CDRs keep: RFC 7155
     * §9.3.5 maps RADIUS cause N to Diameter N + 10; the base causes 1–8 to their nearest.
     */
    static int radiusTerminateCause(int diameter) {
        if (diameter > 10) {
            return diameter - 10;
        }
        return switch (diameter) {
            case 1 -> 1;   // LOGOUT: User-Request
            case 2 -> 15;  // SERVICE_NOT_PROVIDED: Service-Unavailable
            case 3 -> 9;   // BAD_ANSWER: NAS-Error
            case 4 -> 6;   // ADMINISTRATIVE: Admin-Reset
            case 5 -> 2;   // LINK_BROKEN: Lost-Carrier
            case 6, 8 -> 5; // AUTH_EXPIRED, SESSION_TIMEOUT: Session-Timeout
            case 7 -> 10;  // USER_MOVED: NAS-Request
            default -> diameter;
        };
    }

    private static Integer sipCode(AvpSet avps) throws BadRequest {
        for (int code : new int[] {SIP_CODE, SIP_STATUS}) {
            String s = text(avps, code);
            if (s != null && s.trim().matches("\\d{3}.*")) {
                return Integer.valueOf(s.trim().substring(0, 3));
            }
        }
        return null;
    }

    private static String subscription(AvpSet avps) throws BadRequest {
        Avp sub = avps.getAvp(SUBSCRIPTION_ID);
        if (sub == null) {
            return null;
        }
        try {
            return text(sub.getGrouped(), SUBSCRIPTION_ID_DATA);
        } catch (AvpDataException e) {
            throw new BadRequest(5004, sub, "Subscription-Id is not a grouped AVP");
        }
    }

    static String text(AvpSet avps, int code) throws BadRequest {
        Avp a = avps.getAvp(code);
        if (a == null) {
            return null;
        }
        try {
            return AvpPrinter.text(a.getRaw());
        } catch (AvpDataException e) {
            throw new BadRequest(5004, a, "AVP " + code + " is not readable");
        }
    }

    static Long optionalUnsigned(AvpSet avps, int code) throws BadRequest {
        long v = Avps.unsigned32(avps, code, false);
        return v < 0 ? null : v;
    }

    private static Long time(AvpSet avps, int code) throws BadRequest {
        Avp a = avps.getAvp(code);
        if (a == null) {
            return null;
        }
        try {
            if (a.getRaw().length != 4) {
                throw new BadRequest(5014, a, "Event-Timestamp must be 4 octets");
            }
            return AvpPrinter.unixSeconds(a.getRaw());
        } catch (AvpDataException e) {
            throw new BadRequest(5004, a, "Event-Timestamp is not readable");
        }
    }
}
