package org.tollgate.proxy.aaa;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tinyradius.core.attribute.AttributeTemplate;
import org.tinyradius.core.attribute.type.RadiusAttribute;
import org.tinyradius.core.attribute.type.VendorSpecificAttribute;
import org.tinyradius.core.dictionary.Dictionary;

/**
 * Attributes from (dictionary name, text value). A name or value the dictionary cannot encode is
 * a configuration mistake: it is logged once per name and the attribute left out, so one bad
 * mapping never stops accounting.
 */
final class AttributeEncoder {

    private static final Logger log = LoggerFactory.getLogger(AttributeEncoder.class);

    private final Dictionary dictionary;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    AttributeEncoder(Dictionary dictionary) {
        this.dictionary = dictionary;
    }

    Dictionary dictionary() {
        return dictionary;
    }

    Optional<AttributeTemplate> template(String name) {
        return dictionary.getAttributeTemplate(name);
    }

    /** The attribute, or empty (reported once) when the name or value cannot be encoded. */
    Optional<RadiusAttribute> encode(String name, String value) {
        if (name == null || value == null) {
            return Optional.empty();
        }
        Optional<AttributeTemplate> t = dictionary.getAttributeTemplate(name);
        if (t.isEmpty()) {
            reportOnce(name, "attribute '" + name + "' is not in the RADIUS dictionary; it is left out of every packet");
            return Optional.empty();
        }
        AttributeTemplate template = t.get();
        try {
            RadiusAttribute attr;
            if (template.getDataType().equals("integer") || template.getDataType().equals("date")) {
                Optional<Integer> n = SipAccDictionary.enumValue(template, value);
                if (n.isEmpty()) {
                    reportOnce(name + "=", "value '" + value + "' of " + template.getName()
                            + " is neither a dictionary VALUE nor a number; the attribute is left out");
                    return Optional.empty();
                }
                attr = dictionary.createAttribute(template.getVendorId(), template.getType(),
                        ByteBuffer.allocate(4).putInt(n.get()).array());
            } else {
                attr = dictionary.createAttribute(template.getVendorId(), template.getType(), value);
            }
            if (attr.getValue().length > 253) {
                reportOnce(name + "#", template.getName() + " value longer than 253 octets; left out");
                return Optional.empty();
            }
            if (attr.getVendorId() != -1) {
                attr = new VendorSpecificAttribute(dictionary, attr.getVendorId(), List.of(attr));
            }
            return Optional.of(attr);
        } catch (RuntimeException e) {
            reportOnce(name + "!", "cannot encode " + template.getName() + ": " + e.getMessage() + "; left out");
            return Optional.empty();
        }
    }

    /** A standard attribute from raw bytes. */
    RadiusAttribute raw(int type, byte[] value) {
        return dictionary.createAttribute(-1, type, value);
    }

    static byte[] int32(long value) {
        return ByteBuffer.allocate(4).putInt((int) value).array();
    }

    private void reportOnce(String key, String message) {
        if (reported.add(key)) {
            log.warn(message);
        }
    }
}
