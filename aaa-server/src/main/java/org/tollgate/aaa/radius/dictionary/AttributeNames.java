package org.tollgate.aaa.radius.dictionary;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.tinyradius.core.attribute.AttributeTemplate;
import org.tinyradius.core.dictionary.Dictionary;

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

    /** The value as FreeRADIUS would print it: text, enumeration name, number, address or 0x… */
    public String printable(int vendorId, int type, byte[] value) {
        Entry e = entry(vendorId, type);
        byte[] v = value;
        if (e.template != null && e.template.isTagged() && v.length > 0 && (v[0] & 0xff) < 0x20) {
            if (e.dataType.equals("integer") && v.length == 4) {
                v = new byte[] {0, v[1], v[2], v[3]}; // RFC 2868: the tag takes the first octet
            } else {
                v = java.util.Arrays.copyOfRange(v, 1, v.length);
            }
        }
        switch (e.dataType) {
            case "string":
                return new String(v, StandardCharsets.UTF_8);
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
