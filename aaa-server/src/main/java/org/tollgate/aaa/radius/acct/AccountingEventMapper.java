package org.tollgate.aaa.radius.acct;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

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
        Integer statusCode = integer(request, ACCT_STATUS_TYPE);
        if (statusCode == null) {
            throw new IllegalArgumentException("Accounting-Request without Acct-Status-Type");
        }
        Integer delay = integer(request, ACCT_DELAY_TIME);
        Integer eventTimestamp = integer(request, EVENT_TIMESTAMP);
        Instant eventTime = eventTimestamp != null
                ? Instant.ofEpochSecond(Integer.toUnsignedLong(eventTimestamp))
                : receivedAt.minusSeconds(delay == null ? 0 : Integer.toUnsignedLong(delay));

        String userName = text(request, USER_NAME);
        String acctSessionId = text(request, ACCT_SESSION_ID);
        String unique = AcctUniqueSessionId.compute(userName, acctSessionId, printable(request, NAS_IPV6_ADDRESS),
                printable(request, NAS_IP_ADDRESS), text(request, NAS_IDENTIFIER), text(request, NAS_PORT_ID),
                printable(request, NAS_PORT), text(request, CLASS));

        boolean sip = nas.profile() == DictionaryProfile.SIP_ACC;
        String fromTag = sip ? text(request, SIP_FROM_TAG) : null;
        String toTag = sip ? text(request, SIP_TO_TAG) : null;
        String sessionKey = sessionKey(acctSessionId, fromTag, toTag, unique);

        List<AccountingEvent.Attribute> attributes = new ArrayList<>();
        for (RadiusAttribute a : request.getAttributes()) {
            for (RadiusAttribute flat : a.flatten()) {
                if (flat.getVendorId() == -1 && flat.getType() == MESSAGE_AUTHENTICATOR) {
                    continue;
                }
                attributes.add(new AccountingEvent.Attribute(flat.getAttributeName(), flat.getValueString()));
            }
        }
        return new AccountingEvent(recordKey(request, nas), sessionKey, receivedAt, eventTime, nas.name(),
                sourceAddress, AccountingStatus.of(statusCode), statusCode, acctSessionId, unique, userName,
                text(request, CALLING_STATION_ID), text(request, CALLED_STATION_ID),
                sip ? printable(request, SIP_METHOD) : null,
                sip ? integer(request, SIP_RESPONSE_CODE) : null,
                fromTag, toTag,
                sip ? text(request, SIP_CSEQ) : null,
                sip ? text(request, SIP_TRANSLATED_URI) : null,
                sip ? text(request, SIP_SRC_IP) : null,
                sip ? parsePort(text(request, SIP_SRC_PORT)) : null,
                longValue(request, ACCT_SESSION_TIME),
                integer(request, ACCT_TERMINATE_CAUSE),
                delay, attributes);
    }

    /** A SIP call leg: Call-ID plus the unordered tag pair, so the BYE's direction does not matter. */
    static String sessionKey(String callId, String fromTag, String toTag, String unique) {
        if (callId != null && (fromTag != null || toTag != null)) {
            String a = fromTag == null ? "" : fromTag;
            String b = toTag == null ? "" : toTag;
            String lo = a.compareTo(b) <= 0 ? a : b;
            String hi = a.compareTo(b) <= 0 ? b : a;
            return "sip:" + hex(md5(callId + "\u0000" + lo + "\u0000" + hi));
        }
        return callId == null ? null : "acct:" + unique;
    }

    private static String recordKey(RadiusRequest request, NasClient nas) {
        MessageDigest md = newMd5();
        md.update(nas.name().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        for (RadiusAttribute a : request.getAttributes()) {
            if (a.getVendorId() == -1 && (a.getType() == ACCT_DELAY_TIME || a.getType() == PROXY_STATE
                    || a.getType() == MESSAGE_AUTHENTICATOR)) {
                continue;
            }
            md.update(a.toByteArray());
        }
        return hex(md.digest());
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

    private static Optional<RadiusAttribute> attr(RadiusRequest r, int type) {
        return r.getAttributes().stream().filter(a -> a.getVendorId() == -1 && a.getType() == type).findFirst();
    }

    private static String text(RadiusRequest r, int type) {
        return attr(r, type).map(a -> new String(a.getValue(), StandardCharsets.UTF_8)).orElse(null);
    }

    private static String printable(RadiusRequest r, int type) {
        return attr(r, type).map(RadiusAttribute::getValueString).orElse(null);
    }

    private static Integer integer(RadiusRequest r, int type) {
        return attr(r, type).filter(a -> a.getValue().length == 4)
                .map(a -> a instanceof IntegerAttribute i ? i.getValueInt() : toInt(a.getValue()))
                .orElse(null);
    }

    private static Long longValue(RadiusRequest r, int type) {
        Integer i = integer(r, type);
        return i == null ? null : Integer.toUnsignedLong(i);
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
