package org.tollgate.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One accounting record as received from a NAS (RADIUS Accounting-Request or Diameter ACR),
 * with the keys the billing chain needs as typed fields and every attribute kept verbatim.
 *
 * @param recordKey          idempotency key: equal for a retransmission, different for a new record
 * @param sessionKey         groups the records of one session (a SIP call leg: Call-ID + tag pair)
 * @param eventTime          Event-Timestamp minus Acct-Delay-Time, or receive time minus delay
 * @param attributes         every attribute as (name, printable value), in packet order
 */
public record AccountingEvent(
        String recordKey,
        String sessionKey,
        Instant receivedAt,
        Instant eventTime,
        String nasName,
        String nasAddress,
        AccountingStatus status,
        int statusCode,
        String acctSessionId,
        String acctUniqueSessionId,
        String userName,
        String callingStationId,
        String calledStationId,
        String sipMethod,
        Integer sipResponseCode,
        String sipFromTag,
        String sipToTag,
        String sipCseq,
        String sipTranslatedUri,
        String sipSrcIp,
        Integer sipSrcPort,
        Long sessionTime,
        Integer terminateCause,
        Integer delayTime,
        List<Attribute> attributes) {

    public AccountingEvent {
        Objects.requireNonNull(recordKey, "recordKey");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(eventTime, "eventTime");
        Objects.requireNonNull(status, "status");
        attributes = List.copyOf(attributes);
    }

    /** A decoded attribute: dictionary name and printable value. */
    public record Attribute(String name, String value) {
        public Attribute {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }
}
