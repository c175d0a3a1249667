package org.tollgate.diameter.dictionary;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.jdiameter.api.Avp;
import org.jdiameter.api.AvpDataException;
import org.jdiameter.api.AvpSet;

/**
 * AVP values as text for storage: names from the dictionary, enumerations by their value's
 * name, grouped AVPs as {@code {Name=value, …}}, octets as UTF-8 when they are, else {@code 0x…}.
 * Text PostgreSQL cannot store (NUL) comes out as U+FFFD.
 */
public final class AvpPrinter {

    private static final long NTP_TO_UNIX = 2_208_988_800L;

    private final DiameterDictionary dictionary;

    public AvpPrinter(DiameterDictionary dictionary) {
        this.dictionary = dictionary;
    }

    public String name(Avp avp) {
        return dictionary.avp(avp.getCode(), avp.getVendorId()).map(AvpDefinition::name)
                .orElse(avp.getVendorId() == 0 ? "AVP-" + avp.getCode() : "AVP-" + avp.getVendorId() + "-" + avp.getCode());
    }

    public String value(Avp avp) {
        AvpDefinition def = dictionary.avp(avp.getCode(), avp.getVendorId()).orElse(null);
        try {
            if (def == null) {
                return text(avp.getRaw());
            }
            return switch (def.type()) {
                case UTF8String, DiameterIdentity, DiameterURI, OctetString -> text(avp.getRaw());
                case Integer32 -> Integer.toString(avp.getInteger32());
                case Integer64 -> Long.toString(avp.getInteger64());
                case Unsigned32 -> Long.toString(avp.getUnsigned32());
                case Unsigned64 -> Long.toUnsignedString(avp.getUnsigned64());
                case Float32 -> Float.toString(avp.getFloat32());
                case Float64 -> Double.toString(avp.getFloat64());
                case Enumerated -> {
                    long v = avp.getInteger32();
                    yield def.values().getOrDefault(v, Long.toString(v));
                }
                case Time -> time(avp.getRaw());
                case Address -> avp.getAddress().getHostAddress();
                case Grouped -> grouped(avp.getGrouped());
            };
        } catch (AvpDataException | RuntimeException e) {
            return raw(avp);
        }
    }

    private static String raw(Avp avp) {
        try {
            return "0x" + HexFormat.of().formatHex(avp.getRaw());
        } catch (AvpDataException e) {
            return "";
        }
    }

    private String grouped(AvpSet set) {
        StringBuilder b = new StringBuilder("{");
        for (Avp a : set) {
            if (b.length() > 1) {
                b.append(", ");
            }
            b.append(name(a)).append('=').append(value(a));
        }
        return b.append('}').toString();
    }

    /** A Time AVP (seconds since 1900, RFC 6733 §4.3.1) as an ISO instant. */
    static String time(byte[] raw) {
        if (raw.length != 4) {
            throw new IllegalArgumentException("Time is 4 octets");
        }
        return java.time.Instant.ofEpochSecond(unixSeconds(raw)).toString();
    }

    public static long unixSeconds(byte[] raw) {
        long ntp = ByteBuffer.wrap(raw).getInt() & 0xffffffffL;
        // RFC 6733 §4.3.1: values below 2^31 are past 2036 (the NTP era rolls over)
        return ntp < 0x80000000L ? ntp + 0x1_0000_0000L - NTP_TO_UNIX : ntp - NTP_TO_UNIX;
    }

    /** UTF-8 text when the octets are that (NUL made U+FFFD), otherwise {@code 0x} and hex. */
    public static String text(byte[] raw) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
            return s.indexOf('\u0000') < 0 ? s : s.replace('\u0000', '\uFFFD');
        } catch (CharacterCodingException e) {
            return "0x" + HexFormat.of().formatHex(raw);
        }
    }
}
