package org.tollgate.aaa.radius.dictionary;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.tinyradius.core.attribute.AttributeTemplate;
import org.tinyradius.core.dictionary.Dictionary;
import org.tollgate.aaa.radius.StorableText;

/**
 * Names and printable values of attributes, as FreeRADIUS prints them, looked up once per
 * (vendor, type) and kept: the accounting path names every attribute of every packet.
 */
public final class AttributeNames {

    private record Entry(String name, String dataType, AttributeTemplate template) { }

    private static final Entry UNKNOWN = new Entry(null, "octets", null);

    private final Dictionary dictionary;
    private final Entry[] standard = new Entry[256];
    private final ConcurrentHashMap<Long, Entry> vendor = new ConcurrentHashMap<>();

    public AttributeNames(Dictionary dictionary) {
        this.dictionary = dictionary;
        for (int t = 0; t < 256; t++) {
            standard[t] = entry(dictionary.getAttributeTemplate(-1, t));
        }
    }

    public String name(int vendorId, int type) {
        String n = entry(vendorId, type).name;
        if (n != null) {
            return n;
        }
        return vendorId == -1 ? "Attr-" + type : "Vendor-" + vendorId + "-Attr-" + type;
    }

    /**
     * The value as FreeRADIUS would print it: text, enumeration name, number, address or 0x…
     * Text is made storable ({@link StorableText#decode}); {@link #textProblem} says whether it had to be.
     */
    public String printable(int vendorId, int type, byte[] value) {
        Entry e = entry(vendorId, type);
        byte[] v = untagged(e, value);
        switch (e.dataType) {
            case "string":
                return StorableText.decode(v);
            case "integer":
            case "date":
                if (v.length == 4) {
                    int i = ((v[0] & 0xff) << 24) | ((v[1] & 0xff) << 16) | ((v[2] & 0xff) << 8) | (v[3] & 0xff);
                    String enumName = e.template == null ? null : e.template.getEnumeration(i);
                    return enumName != null ? enumName : Integer.toUnsignedString(i);
                }
                break;
            case "ipaddr":
            case "ipv6addr":
                if (v.length == 4 || v.length == 16) {
                    try {
                        return InetAddress.getByAddress(v).getHostAddress();
                    } catch (UnknownHostException ignored) {
                        // unreachable for 4 or 16 bytes
                    }
                }
                break;
            default:
                break;
        }
        return "0x" + HexFormat.of().withUpperCase().formatHex(v);
    }

    /** For a text attribute whose value PostgreSQL cannot store as it is, why; else null. */
    public StorableText.Problem textProblem(int vendorId, int type, byte[] value) {
        Entry e = entry(vendorId, type);
        return e.dataType.equals("string") ? StorableText.problem(untagged(e, value)) : null;
    }

    private static byte[] untagged(Entry e, byte[] v) {
        if (e.template != null && e.template.isTagged() && v.length > 0 && (v[0] & 0xff) < 0x20) {
            if (e.dataType.equals("integer") && v.length == 4) {
                return new byte[] {0, v[1], v[2], v[3]}; // RFC 2868: the tag takes the first octet
            }
            return java.util.Arrays.copyOfRange(v, 1, v.length);
        }
        return v;
    }

    private Entry entry(int vendorId, int type) {
        if (vendorId == -1 && type >= 0 && type < 256) {
            return standard[type];
        }
        long key = ((long) vendorId << 32) | (type & 0xffffffffL);
        return vendor.computeIfAbsent(key, k -> entry(dictionary.getAttributeTemplate(vendorId, type)));
    }

    private static Entry entry(Optional<AttributeTemplate> t) {
        return t.map(a -> new Entry(a.getName(), a.getDataType(), a)).orElse(UNKNOWN);
    }
}
