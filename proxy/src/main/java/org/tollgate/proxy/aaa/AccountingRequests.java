package org.tollgate.proxy.aaa;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.tinyradius.core.RadiusPacketException;
import org.tinyradius.core.attribute.AttributeTemplate;
import org.tinyradius.core.attribute.type.RadiusAttribute;
import org.tinyradius.core.packet.PacketType;
import org.tinyradius.core.packet.request.RadiusRequest;

/**
 * Accounting-Request (code 4) for an {@link AccountingRecord}, as Kamailio's acc sends it:
 * Acct-Status-Type, Event-Timestamp, [Acct-Delay-Time], NAS-IP-Address, NAS-Port, then the
 * record's attributes in order. Left unencoded: TinyRadius's PromiseAdapter adds a Proxy-State
 * and computes the authenticator for each server's secret.
 */
final class AccountingRequests {

    static final int ACCT_STATUS_TYPE = 40;
    static final int ACCT_DELAY_TIME = 41;
    static final int EVENT_TIMESTAMP = 55;
    static final int NAS_IP_ADDRESS = 4;
    static final int NAS_PORT = 5;
    static final int NAS_IPV6_ADDRESS = 95;

    // set here, or by TinyRadius on the way out: a record must not carry them twice
    private static final Set<Integer> OURS = Set.of(ACCT_STATUS_TYPE, ACCT_DELAY_TIME, EVENT_TIMESTAMP,
            NAS_IP_ADDRESS, NAS_PORT, NAS_IPV6_ADDRESS, 33, 80);

    private final AttributeEncoder encoder;
    private final RadiusClientSettings settings;
    private final AttributeTemplate statusType;

    AccountingRequests(AttributeEncoder encoder, RadiusClientSettings settings) {
        this.encoder = encoder;
        this.settings = settings;
        this.statusType = encoder.template("Acct-Status-Type")
                .orElseThrow(() -> new IllegalStateException("dictionary lacks Acct-Status-Type"));
    }

    /** Rejects what can never be sent (an unknown Acct-Status-Type), so the caller hears of it at once. */
    void check(AccountingRecord record) {
        if (record.statusType() == null || SipAccDictionary.enumValue(statusType, record.statusType()).isEmpty()) {
            throw new IllegalArgumentException("unknown Acct-Status-Type '" + record.statusType()
                    + "' (Start, Stop, Interim-Update, Failed, …)");
        }
        if (record.eventTime() == null) {
            throw new IllegalArgumentException("accounting record without event time");
        }
    }

    /** {@code delaySeconds} above 0 adds Acct-Delay-Time (RFC 2866 §5.2). */
    RadiusRequest build(AccountingRecord record, byte id, long delaySeconds) throws RadiusPacketException {
        check(record);
        List<RadiusAttribute> attrs = new ArrayList<>(8 + record.attributes().size());
        int status = SipAccDictionary.enumValue(statusType, record.statusType()).orElseThrow();
        attrs.add(encoder.raw(ACCT_STATUS_TYPE, AttributeEncoder.int32(status)));
        attrs.add(encoder.raw(EVENT_TIMESTAMP, AttributeEncoder.int32(record.eventTime().getEpochSecond())));
        if (delaySeconds > 0) {
            attrs.add(encoder.raw(ACCT_DELAY_TIME, AttributeEncoder.int32(Math.min(delaySeconds, 0xffffffffL))));
        }
        attrs.add(nasAddress(encoder, settings));
        attrs.add(encoder.raw(NAS_PORT, AttributeEncoder.int32(settings.nasPort())));
        for (AccountingRecord.Attribute a : record.attributes()) {
            Optional<RadiusAttribute> attr = encoder.encode(a.name(), a.value());
            if (attr.isPresent() && !(attr.get().getVendorId() == -1 && OURS.contains(attr.get().getType()))) {
                attrs.add(attr.get());
            }
        }
        return RadiusRequest.create(encoder.dictionary(), PacketType.ACCOUNTING_REQUEST, id, null, attrs);
    }

    static RadiusAttribute nasAddress(AttributeEncoder encoder, RadiusClientSettings settings) {
        return encoder.raw(settings.nasIsIpv4() ? NAS_IP_ADDRESS : NAS_IPV6_ADDRESS,
                settings.nasIpAddress().getAddress());
    }
}
