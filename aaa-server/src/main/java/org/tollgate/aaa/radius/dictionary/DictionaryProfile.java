package org.tollgate.aaa.radius.dictionary;

import java.util.Arrays;

/**
 * How a NAS client's attributes 101–121 are read: the acc module's SIP attributes
 * (Sip-Method, Sip-Response-Code, …) or RFC 5176 / RFC 5090 (Error-Cause, Digest-*).
 */
public enum DictionaryProfile {
    SIP_ACC("sip-acc"),
    RFC("rfc");

    private final String id;

    DictionaryProfile(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static DictionaryProfile of(String id) {
        return Arrays.stream(values())
                .filter(p -> p.id.equalsIgnoreCase(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown dictionary profile '" + id + "' (expected sip-acc or rfc)"));
    }
}
