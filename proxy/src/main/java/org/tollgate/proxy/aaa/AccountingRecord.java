package org.tollgate.proxy.aaa;

import java.time.Instant;
import java.util.List;

/**
 * One call accounting record as Kamailio's acc module sends it: an Acct-Status-Type, the
 * event's time (sent as Event-Timestamp) and the other attributes by dictionary name, in order.
 * Values are the dictionary's text form ("INVITE" for Sip-Method, "Sip-Session" for
 * Service-Type, "200" for Sip-Response-Code). A name may repeat.
 */
public record AccountingRecord(String statusType, Instant eventTime, List<Attribute> attributes) {

    public record Attribute(String name, String value) {
    }

    public AccountingRecord {
        attributes = List.copyOf(attributes);
    }

    /** The value of the first attribute with this name, or null. */
    public String get(String name) {
        for (Attribute a : attributes) {
            if (a.name().equalsIgnoreCase(name)) {
                return a.value();
            }
        }
        return null;
    }
}
