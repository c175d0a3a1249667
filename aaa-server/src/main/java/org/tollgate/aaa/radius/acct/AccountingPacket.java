package org.tollgate.aaa.radius.acct;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.tinyradius.core.dictionary.Dictionary;
import org.tinyradius.core.dictionary.Vendor;

/**
 * An Accounting-Request read straight from its bytes (RFC 2866): header and attribute
 * structure validated, the Request Authenticator checked against the secret, and the
 * Accounting-Response built. The hot path of the accounting server, so it copies nothing it
 * does not need; names and values come from the dictionary ({@code AttributeNames}).
 */
public final class AccountingPacket {

    /** Thrown for bytes that are not a well-formed Accounting-Request. */
    public static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message);
        }
    }

    /** One attribute: vendor (-1 for standard), type and where its value lies in the packet. */
    public record Attribute(int vendorId, int type, int valueOffset, int valueLength, int rawOffset, int rawLength) { }

    public static final int ACCOUNTING_REQUEST = 4;
    public static final int ACCOUNTING_RESPONSE = 5;
    private static final int VENDOR_SPECIFIC = 26;
    private static final int PROXY_STATE = 33;
    private static final byte[] ZEROS = new byte[16];

    private final byte[] raw;
    private final int length;
    private final List<Attribute> attributes;

    private AccountingPacket(byte[] raw, int length, List<Attribute> attributes) {
        this.raw = raw;
        this.length = length;
        this.attributes = attributes;
    }

    /** Parses the bytes; vendor formats (type and length sizes) come from the dictionary. */
    public static AccountingPacket parse(byte[] raw, Dictionary dictionary) throws MalformedException {
        if (raw.length < 20) {
            throw new MalformedException("shorter than a RADIUS header");
        }
        if ((raw[0] & 0xff) != ACCOUNTING_REQUEST) {
            throw new MalformedException("not an Accounting-Request");
        }
        int length = ((raw[2] & 0xff) << 8) | (raw[3] & 0xff);
        if (length < 20 || length > 4096 || length > raw.length) {
            throw new MalformedException("bad length " + length);
        }
        List<Attribute> attrs = new ArrayList<>(24);
        int p = 20;
        while (p < length) {
            if (p + 2 > length) {
                throw new MalformedException("truncated attribute at " + p);
            }
            int type = raw[p] & 0xff;
            int len = raw[p + 1] & 0xff;
            if (len < 2 || p + len > length) {
                throw new MalformedException("bad attribute length " + len + " at " + p);
            }
            if (type == VENDOR_SPECIFIC && len >= 6) {
                vendorSpecific(raw, p, len, dictionary, attrs);
            } else {
                attrs.add(new Attribute(-1, type, p + 2, len - 2, p, len));
            }
            p += len;
        }
        return new AccountingPacket(raw, length, attrs);
    }

    private static void vendorSpecific(byte[] raw, int p, int len, Dictionary dictionary, List<Attribute> out)
            throws MalformedException {
        int vendorId = ((raw[p + 2] & 0xff) << 24) | ((raw[p + 3] & 0xff) << 16) | ((raw[p + 4] & 0xff) << 8)
                | (raw[p + 5] & 0xff);
        Vendor vendor = dictionary.getVendor(vendorId).orElse(null);
        int typeSize = vendor == null ? 1 : vendor.getTypeSize();
        int lengthSize = vendor == null ? 1 : vendor.getLengthSize();
        int q = p + 6;
        int end = p + len;
        if (vendor == null) {
            // unknown vendor: keep the VSA whole, as FreeRADIUS does
            out.add(new Attribute(-1, VENDOR_SPECIFIC, p + 2, len - 2, p, len));
            return;
        }
        while (q < end) {
            if (q + typeSize + lengthSize > end) {
                throw new MalformedException("truncated vendor attribute at " + q);
            }
            int type = 0;
            for (int i = 0; i < typeSize; i++) {
                type = (type << 8) | (raw[q + i] & 0xff);
            }
            int subLen;
            if (lengthSize == 0) {
                subLen = end - q;
            } else {
                subLen = 0;
                for (int i = 0; i < lengthSize; i++) {
                    subLen = (subLen << 8) | (raw[q + typeSize + i] & 0xff);
                }
            }
            int header = typeSize + lengthSize;
            if (subLen < header || q + subLen > end) {
                throw new MalformedException("bad vendor attribute length at " + q);
            }
            out.add(new Attribute(vendorId, type, q + header, subLen - header, p, len));
            q += subLen;
        }
    }

    public int id() {
        return raw[1] & 0xff;
    }

    public List<Attribute> attributes() {
        return attributes;
    }

    public byte[] value(Attribute a) {
        return Arrays.copyOfRange(raw, a.valueOffset(), a.valueOffset() + a.valueLength());
    }

    /** The raw bytes of the whole attribute (for a VSA, the whole Vendor-Specific). */
    public void updateWithRaw(MessageDigest md, Attribute a) {
        md.update(raw, a.rawOffset(), a.rawLength());
    }

    /** RFC 2866 §3: MD5(Code + Identifier + Length + 16 zero octets + Attributes + Secret). */
    public boolean authenticatorValid(byte[] secret) {
        MessageDigest md5 = org.tollgate.aaa.radius.Md5.digest();
        md5.update(raw, 0, 4);
        md5.update(ZEROS);
        md5.update(raw, 20, length - 20);
        md5.update(secret);
        return MessageDigest.isEqual(md5.digest(), Arrays.copyOfRange(raw, 4, 20));
    }

    /** Accounting-Response: same identifier, Proxy-State copied, Response Authenticator (RFC 2866 §3). */
    public byte[] response(byte[] secret) {
        int extra = 0;
        for (Attribute a : attributes) {
            if (a.vendorId() == -1 && a.type() == PROXY_STATE) {
                extra += a.rawLength();
            }
        }
        byte[] out = new byte[20 + extra];
        out[0] = (byte) ACCOUNTING_RESPONSE;
        out[1] = raw[1];
        out[2] = (byte) (out.length >>> 8);
        out[3] = (byte) out.length;
        int p = 20;
        for (Attribute a : attributes) {
            if (a.vendorId() == -1 && a.type() == PROXY_STATE) {
                System.arraycopy(raw, a.rawOffset(), out, p, a.rawLength());
                p += a.rawLength();
            }
        }
        MessageDigest md5 = org.tollgate.aaa.radius.Md5.digest();
        md5.update(out, 0, 4);
        md5.update(raw, 4, 16); // the request authenticator
        md5.update(out, 20, out.length - 20);
        md5.update(secret);
        System.arraycopy(md5.digest(), 0, out, 4, 16);
        return out;
    }

}
