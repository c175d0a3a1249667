package org.tollgate.diameter.dictionary;

/** The basic and derived AVP data formats of RFC 6733 §4.2–4.3. */
public enum AvpType {
    OctetString, Integer32, Integer64, Unsigned32, Unsigned64, Float32, Float64, Grouped, Address, Time,
    UTF8String, DiameterIdentity, DiameterURI, Enumerated;

    public static AvpType of(String name) {
        for (AvpType t : values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown AVP type " + name);
    }
}
