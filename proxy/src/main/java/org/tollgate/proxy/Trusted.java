package org.tollgate.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** Source networks whose requests are not challenged (gateways and peering proxies, like Kamailio's allow_trusted). */
final class Trusted {

    private record Net(byte[] addr, int bits) {
        boolean contains(byte[] a) {
            if (a.length != addr.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != addr[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (addr[full] & mask);
        }
    }

    private final List<Net> nets = new ArrayList<>();
    private final java.util.Map<String, Boolean> seen = new java.util.concurrent.ConcurrentHashMap<>();

    Trusted(List<String> cidrs) {
        for (String c : cidrs) {
            String s = c.trim();
            int slash = s.indexOf('/');
            try {
                byte[] a = InetAddress.getByName(slash < 0 ? s : s.substring(0, slash)).getAddress();
                int bits = slash < 0 ? a.length * 8 : Integer.parseInt(s.substring(slash + 1));
                if (bits < 0 || bits > a.length * 8) {
                    throw new IllegalArgumentException("tollgate.proxy.trusted: bad prefix length in " + c);
                }
                nets.add(new Net(a, bits));
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("tollgate.proxy.trusted: not an address or network: " + c);
            }
        }
    }

    boolean contains(String ip) {
        if (nets.isEmpty() || ip == null) {
            return false;
        }
        if (seen.size() > 10_000) {
            seen.clear();
        }
        return seen.computeIfAbsent(ip, this::match);
    }

    private boolean match(String ip) {
        try {
            byte[] a = InetAddress.getByName(ip).getAddress();
            return nets.stream().anyMatch(n -> n.contains(a));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
