package org.tollgate.aaa.radius.acct;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.tollgate.aaa.radius.StorableText;
import org.tollgate.aaa.radius.client.NasClient;
import org.tollgate.aaa.radius.dictionary.AttributeNames;
import org.tollgate.aaa.radius.dictionary.DictionaryProfile;
import org.tollgate.api.AccountingEvent;
import org.tollgate.api.AccountingKeys;
import org.tollgate.api.AccountingStatus;

/**
 * Reads a verified Accounting-Request into an {@link AccountingEvent}.
 *
 * <p>The record key hashes the NAS and every attribute except those a NAS may change when it
 * retransmits (Acct-Delay-Time, Proxy-State, Message-Authenticator), so a retransmission maps
 * to the row already stored. The event time is Event-Timestamp when present (RFC 2869: the
 * time of the event), otherwise the receive time minus Acct-Delay-Time, as rlm_sql does.
 *
 * <p>Text PostgreSQL cannot store (a NUL byte, bytes that are not UTF-8) is stored made safe
 * ({@link StorableText}); the attribute's original bytes are kept next to it as
 * {@code <Attribute>.octets}, one {@code 0x…} value per occurrence of the attribute.
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

    public static AccountingEvent map(AccountingPacket packet, AttributeNames names, NasClient nas,
                                      String sourceAddress, Instant receivedAt) {
        return map(packet, names, nas, sourceAddress, receivedAt, problem -> { });
    }

    /** As above; {@code invalidText} hears of each kind of text that had to be made safe, once. */
    public static AccountingEvent map(AccountingPacket packet, AttributeNames names, NasClient nas,
                                      String sourceAddress, Instant receivedAt,
                                      Consumer<StorableText.Problem> invalidText) {
        AccountingPacket.Attribute[] first = new AccountingPacket.Attribute[256];
        List<AccountingEvent.Attribute> attributes = new ArrayList<>(packet.attributes().size());
        MessageDigest recordKey = org.tollgate.aaa.radius.Md5.digest();
        recordKey.update(nas.name().getBytes(StandardCharsets.UTF_8));
        recordKey.update((byte) 0);
        int lastRaw = -1;
        // only a packet with text to make safe pays for these
        Set<StorableText.Problem> problems = null;
        List<String> withOctets = List.of();
        boolean sip = nas.profile() == DictionaryProfile.SIP_ACC;
        for (AccountingPacket.Attribute a : packet.attributes()) {
            int type = a.type();
            boolean standard = a.vendorId() == -1;
            if (standard && first[type] == null) {
                first[type] = a;
            }
            boolean retransmissionVariant = standard
                    && (type == ACCT_DELAY_TIME || type == PROXY_STATE || type == MESSAGE_AUTHENTICATOR);
            if (!retransmissionVariant && a.rawOffset() != lastRaw) {
                packet.updateWithRaw(recordKey, a);
            }
            lastRaw = a.rawOffset();
            if (standard && type == MESSAGE_AUTHENTICATOR) {
                continue;
            }
            byte[] value = packet.value(a);
            String name = names.name(a.vendorId(), type);
            boolean other = standard && (sip && (type == SIP_SRC_IP || type == SIP_SRC_PORT)
                    || type == EVENT_TIMESTAMP && value.length != 4);
            String printable = other ? either(packet, a, names) : names.printable(a.vendorId(), type, value);
            // made safe text always shows U+FFFD, and ASCII text never: only then look at the bytes
            StorableText.Problem problem = printable.indexOf('\uFFFD') < 0 ? null
                    : names.textProblem(a.vendorId(), type, value);
            if (problem != null) {
                if (problems == null) {
                    problems = EnumSet.noneOf(StorableText.Problem.class);
                    withOctets = new ArrayList<>(2);
                }
                problems.add(problem);
                if (!withOctets.contains(name)) {
                    withOctets.add(name);
                }
            }
            attributes.add(new AccountingEvent.Attribute(name, printable));
        }
        for (String name : withOctets) {
            for (AccountingPacket.Attribute a : packet.attributes()) {
                if (names.name(a.vendorId(), a.type()).equals(name)) {
                    attributes.add(new AccountingEvent.Attribute(name + ".octets", StorableText.octets(packet.value(a))));
                }
            }
        }
        // finish this digest before anything else on the thread uses one
        byte[] keyBytes = recordKey.digest();
        Integer statusCode = integer(packet, first[ACCT_STATUS_TYPE]);
        if (statusCode == null) {
            throw new IllegalArgumentException("Accounting-Request without Acct-Status-Type");
        }
        Integer delay = integer(packet, first[ACCT_DELAY_TIME]);
        Instant eventTimestamp = eventTimestamp(packet, first[EVENT_TIMESTAMP]);
        if (eventTimestamp != null) {
            // Event-Timestamp is part of the hashed content, so a retransmission keeps it; leading
            // with it makes the primary key grow at its end instead of at random pages
            long t = eventTimestamp.getEpochSecond();
            for (int i = 0; i < 5; i++) {
                keyBytes[i] = (byte) (t >>> (8 * (4 - i)));
            }
        }
        String key = AccountingKeys.uuid(keyBytes);
        Instant eventTime = eventTimestamp != null
                ? eventTimestamp
                : receivedAt.minusSeconds(delay == null ? 0 : Integer.toUnsignedLong(delay));

        String userName = text(packet, first[USER_NAME]);
        String acctSessionId = text(packet, first[ACCT_SESSION_ID]);
        String unique = AcctUniqueSessionId.compute(userName, acctSessionId,
                printable(packet, names, first[NAS_IPV6_ADDRESS]), printable(packet, names, first[NAS_IP_ADDRESS]),
                text(packet, first[NAS_IDENTIFIER]), text(packet, first[NAS_PORT_ID]),
                printable(packet, names, first[NAS_PORT]), text(packet, first[CLASS]));

        String fromTag = sip ? text(packet, first[SIP_FROM_TAG]) : null;
        String toTag = sip ? text(packet, first[SIP_TO_TAG]) : null;
        Integer sessionTime = integer(packet, first[ACCT_SESSION_TIME]);

        AccountingEvent event = new AccountingEvent(key, AccountingKeys.sessionKey(acctSessionId, fromTag, toTag, unique),
                receivedAt, eventTime, nas.name(), sourceAddress, AccountingStatus.of(statusCode), statusCode,
                acctSessionId, unique, userName,
                text(packet, first[CALLING_STATION_ID]), text(packet, first[CALLED_STATION_ID]),
                sip ? printable(packet, names, first[SIP_METHOD]) : null,
                sip ? integer(packet, first[SIP_RESPONSE_CODE]) : null,
                fromTag, toTag,
                sip ? text(packet, first[SIP_CSEQ]) : null,
                sip ? text(packet, first[SIP_TRANSLATED_URI]) : null,
                sip ? sourceIp(packet, first[SIP_SRC_IP]) : null,
                sip ? sourcePort(packet, first[SIP_SRC_PORT]) : null,
                sessionTime == null ? null : Integer.toUnsignedLong(sessionTime),
                integer(packet, first[ACCT_TERMINATE_CAUSE]),
                delay, attributes);
        if (problems != null) {
            problems.forEach(invalidText); // only for a packet that makes a record
        }
        return event;
    }

    /**
     * Event-Timestamp: 4 octets of seconds (RFC 2869), or — Kamailio's {@code rad_time_mode=1} —
     * the time as text with a fraction ("1796510190.156747"); null when neither.
     */
    static Instant eventTimestamp(AccountingPacket p, AccountingPacket.Attribute a) {
        if (a == null) {
            return null;
        }
        if (a.valueLength() == 4) {
            return Instant.ofEpochSecond(Integer.toUnsignedLong(toInt(p.value(a))));
        }
        String text = StorableText.decode(p.value(a)).trim();
        if (!text.matches("\\d{1,12}(\\.\\d{1,9})?")) {
            return null;
        }
        int dot = text.indexOf('.');
        long seconds = Long.parseLong(dot < 0 ? text : text.substring(0, dot));
        long nanos = dot < 0 ? 0 : Long.parseLong((text.substring(dot + 1) + "000000000").substring(0, 9));
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** Sip-Src-IP as acc writes it (text) or as radcli's dictionary.sip defines it (an IPv4 address). */
    static String sourceIp(AccountingPacket p, AccountingPacket.Attribute a) {
        if (a == null) {
            return null;
        }
        byte[] v = p.value(a);
        if (v.length == 4 || v.length == 16 && !isText(v)) { // text is never 4 octets: "1.2.3.4" is 7
            try {
                return java.net.InetAddress.getByAddress(v).getHostAddress();
            } catch (java.net.UnknownHostException e) {
                return null;
            }
        }
        return StorableText.decode(v);
    }

    /** Sip-Src-Port as text ("5060") or as radcli's integer (4 octets that are not all digits). */
    static Integer sourcePort(AccountingPacket p, AccountingPacket.Attribute a) {
        if (a == null) {
            return null;
        }
        byte[] v = p.value(a);
        if (v.length == 4 && !isDigits(v)) {
            return toInt(v);
        }
        return parsePort(StorableText.decode(v));
    }

    /** Event-Timestamp, Sip-Src-IP or Sip-Src-Port as the attributes column shows it, whichever encoding came. */
    private static String either(AccountingPacket p, AccountingPacket.Attribute a, AttributeNames names) {
        String s = switch (a.type()) {
            case SIP_SRC_IP -> sourceIp(p, a);
            case SIP_SRC_PORT -> {
                Integer port = sourcePort(p, a);
                yield port == null ? null : port.toString();
            }
            default -> {
                Instant t = eventTimestamp(p, a);
                yield t == null ? null : t.toString();
            }
        };
        return s != null ? s : names.printable(a.vendorId(), a.type(), p.value(a));
    }

    private static boolean isDigits(byte[] v) {
        for (byte b : v) {
            if (b < '0' || b > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isText(byte[] v) {
        for (byte b : v) {
            if (b < 0x20 || b > 0x7e) {
                return false;
            }
        }
        return true;
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

    private static String text(AccountingPacket p, AccountingPacket.Attribute a) {
        return a == null ? null : StorableText.decode(p.value(a));
    }

    private static String printable(AccountingPacket p, AttributeNames names, AccountingPacket.Attribute a) {
        return a == null ? null : names.printable(a.vendorId(), a.type(), p.value(a));
    }

    private static Integer integer(AccountingPacket p, AccountingPacket.Attribute a) {
        return a == null || a.valueLength() != 4 ? null : toInt(p.value(a));
    }

    private static int toInt(byte[] v) {
        return ((v[0] & 0xff) << 24) | ((v[1] & 0xff) << 16) | ((v[2] & 0xff) << 8) | (v[3] & 0xff);
    }

}
