package org.tollgate.api.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** An IPv4 or IPv6 network in CIDR notation; a bare address is a /32 or /128. */
public record Cidr(byte[] network, int prefixLength) {

    public Cidr {
        network = network.clone();
        int max = network.length * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range 0.." + max);
        }
        mask(network, prefixLength);
    }

    private static final java.util.regex.Pattern IPV4 =
            java.util.regex.Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    /** Parses a literal address or network; never resolves a name. */
    public static Cidr parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String host = slash < 0 ? s : s.substring(0, slash);
        byte[] bytes = literal(host);
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP address or CIDR: '" + text + "'");
        }
        int prefix;
        try {
            prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in '" + text + "'");
        }
        return new Cidr(bytes, prefix);
    }

    private static byte[] literal(String host) {
        java.util.regex.Matcher m = IPV4.matcher(host);
        if (m.matches()) {
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(m.group(i + 1));
                if (octet > 255) {
                    return null;
                }
                b[i] = (byte) octet;
            }
            return b;
        }
        if (host.indexOf(':') >= 0 && host.matches("[0-9a-fA-F:.]+")) {
            try {
                // a string with ':' is parsed as an IPv6 literal, never looked up
                return InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int m = (0xff << (8 - rest)) & 0xff;
        return (a[full] & m) == (network[full] & m);
    }

    private static void mask(byte[] bytes, int prefix) {
        for (int i = 0; i < bytes.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] &= (byte) ((0xff << (8 - bits)) & 0xff);
        }
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
