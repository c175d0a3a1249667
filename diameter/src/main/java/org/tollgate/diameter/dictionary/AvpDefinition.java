package org.tollgate.diameter.dictionary;

import java.util.Map;
import java.util.Objects;

/** One AVP of the dictionary: name, code, vendor (0 for IETF), type, the M bit we send, named values. */
public record AvpDefinition(String name, int code, long vendorId, AvpType type, boolean mandatory,
                            Map<Long, String> values) {

    public AvpDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        values = Map.copyOf(values);
    }

    AvpDefinition withValue(long value, String valueName) {
        Map<Long, String> more = new java.util.HashMap<>(values);
        more.put(value, valueName);
        return new AvpDefinition(name, code, vendorId, type, mandatory, more);
    }
}
