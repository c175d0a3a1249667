package org.tollgate.aaa.radius.acct;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.tinyradius.core.attribute.type.IntegerAttribute;
import org.tinyradius.core.attribute.type.RadiusAttribute;
import org.tinyradius.core.packet.request.RadiusRequest;
import org.tollgate.aaa.radius.client.NasClient;
import org.tollgate.aaa.radius.dictionary.DictionaryProfile;
import org.tollgate.api.AccountingEvent;
import org.tollgate.api.AccountingStatus;

/**
 * Reads a verified Accounting-Request into an {@link AccountingEvent}.
 *
 * <p>The record key hashes the NAS and every attribute except those a NAS may change when it
 * retransmits (Acct-Delay-Time, Proxy-State, Message-Authenticator), so a retransmission maps
 * to the row already stored. The event time is Event-Timestamp when present (RFC 2869: the
 * time of the event), otherwise the receive time minus Acct-Delay-Time, as rlm_sql does.
 */
public final class AccountingEventMapper {

    private static final int USER_NAME = 1;
    private static final int NAS_IP_ADDRESS = 4;
    private static final int NAS_PORT = 5;
    private static final int CLASS = 25;
    private static final int CALLED_STATION_ID = 30;
    private static final int CALLING_STATION_ID = 31;
    private static final int NAS_IDENTIFIER = 32;
    private static final int PROXY_STATE = 33;
    private static final int ACCT_STATUS_TYPE = 40;
    private static final int ACCT_DELAY_TIME = 41;
    private static final int ACCT_SESSION_ID = 44;
    private static final int ACCT_SESSION_TIME = 46;
    private static final int ACCT_TERMINATE_CAUSE = 49;
    private static final int EVENT_TIMESTAMP = 55;
    private static final int MESSAGE_AUTHENTICATOR = 80;
    private static final int NAS_PORT_ID = 87;
    private static final int NAS_IPV6_ADDRESS = 95;
    // the acc module's SIP attributes (sip-acc profile only)
    private static final int SIP_METHOD = 101;
    private static final int SIP_RESPONSE_CODE = 102;
    private static final int SIP_CSEQ = 103;
    private static final int SIP_TO_TAG = 104;
    private static final int SIP_FROM_TAG = 105;
    private static final int SIP_TRANSLATED_URI = 107;
    private static final int SIP_SRC_IP = 108;
    private static final int SIP_SRC_PORT = 109;

    private AccountingEventMapper() {
    }

    public static AccountingEvent map(RadiusRequest request, NasClient nas, String sourceAddress, Instant receivedAt) {
        // one pass over the attributes: TinyRadius recomputes type and vendor on every call
        RadiusAttribute[] first = new RadiusAttribute[256];
        List<AccountingEvent.Attribute> attributes = new ArrayList<>();
        MessageDigest recordKey = newMd5();
        recordKey.update(nas.name().getBytes(StandardCharsets.UTF_8));
        recordKey.update((byte) 0);
        for (RadiusAttribute a : request.getAttributes()) {
            int vendor = a.getVendorId();
            int type = a.getType();
            if (vendor == -1 && first[type] == null) {
                first[type] = a;
            }
            boolean retransmissionVariant = vendor == -1
                    && (type == ACCT_DELAY_TIME || type == PROXY_STATE || type == MESSAGE_AUTHENTICATOR);
            if (!retransmissionVariant) {
                recordKey.update(a.toByteArray());
            }
            if (vendor == -1 && type == MESSAGE_AUTHENTICATOR) {
                continue;
            }
            for (RadiusAttribute flat : vendor == -1 && type != 26 ? List.of(a) : a.flatten()) {
                attributes.add(new AccountingEvent.Attribute(flat.getAttributeName(), flat.getValueString()));
            }
        }
        Integer statusCode = integer(first[ACCT_STATUS_TYPE]);
        if (statusCode == null) {
            throw new IllegalArgumentException("Accounting-Request without Acct-Status-Type");
        }
        Integer delay = integer(first[ACCT_DELAY_TIME]);
        Integer eventTimestamp = integer(first[EVENT_TIMESTAMP]);
        Instant eventTime = eventTimestamp != null
                ? Instant.ofEpochSecond(Integer.toUnsignedLong(eventTimestamp))
                : receivedAt.minusSeconds(delay == null ? 0 : Integer.toUnsignedLong(delay));

        String userName = text(first[USER_NAME]);
        String acctSessionId = text(first[ACCT_SESSION_ID]);
        String unique = AcctUniqueSessionId.compute(userName, acctSessionId, printable(first[NAS_IPV6_ADDRESS]),
                printable(first[NAS_IP_ADDRESS]), text(first[NAS_IDENTIFIER]), text(first[NAS_PORT_ID]),
                printable(first[NAS_PORT]), text(first[CLASS]));

        boolean sip = nas.profile() == DictionaryProfile.SIP_ACC;
        String fromTag = sip ? text(first[SIP_FROM_TAG]) : null;
        String toTag = sip ? text(first[SIP_TO_TAG]) : null;
        String sessionKey = sessionKey(acctSessionId, fromTag, toTag, unique);
        Integer sessionTime = integer(first[ACCT_SESSION_TIME]);

        return new AccountingEvent(uuid(recordKey.digest()), sessionKey, receivedAt, eventTime, nas.name(),
                sourceAddress, AccountingStatus.of(statusCode), statusCode, acctSessionId, unique, userName,
                text(first[CALLING_STATION_ID]), text(first[CALLED_STATION_ID]),
                sip ? printable(first[SIP_METHOD]) : null,
                sip ? integer(first[SIP_RESPONSE_CODE]) : null,
                fromTag, toTag,
                sip ? text(first[SIP_CSEQ]) : null,
                sip ? text(first[SIP_TRANSLATED_URI]) : null,
                sip ? text(first[SIP_SRC_IP]) : null,
                sip ? parsePort(text(first[SIP_SRC_PORT])) : null,
                sessionTime == null ? null : Integer.toUnsignedLong(sessionTime),
                integer(first[ACCT_TERMINATE_CAUSE]),
                delay, attributes);
    }

    /**
     * A SIP call leg is its Call-ID plus the unordered tag pair, so the BYE's direction does not
     * matter; any other session is its Acct-Unique-Session-Id. As a UUID-shaped MD5.
     */
    static String sessionKey(String callId, String fromTag, String toTag, String unique) {
        if (callId != null && (fromTag != null || toTag != null)) {
            String a = fromTag == null ? "" : fromTag;
            String b = toTag == null ? "" : toTag;
            String lo = a.compareTo(b) <= 0 ? a : b;
            String hi = a.compareTo(b) <= 0 ? b : a;
            return uuid(md5("sip\u0000" + callId + "\u0000" + lo + "\u0000" + hi));
        }
        return callId == null ? null : uuid(md5("acct\u0000" + unique));
    }

    private static String uuid(byte[] md5) {
        String h = hex(md5);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
                + "-" + h.substring(20);
    }

    private static Integer parsePort(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(RadiusAttribute a) {
        return a == null ? null : new String(a.getValue(), StandardCharsets.UTF_8);
    }

    private static String printable(RadiusAttribute a) {
        return a == null ? null : a.getValueString();
    }

    private static Integer integer(RadiusAttribute a) {
        if (a == null || a.getValue().length != 4) {
            return null;
        }
        return a instanceof IntegerAttribute i ? i.getValueInt() : toInt(a.getValue());
    }

    private static int toInt(byte[] v) {
        return ((v[0] & 0xff) << 24) | ((v[1] & 0xff) << 16) | ((v[2] & 0xff) << 8) | (v[3] & 0xff);
    }

    private static byte[] md5(String s) {
        return newMd5().digest(s.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
