package org.tollgate.aaa.radius.acct;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.tollgate.aaa.radius.Md5;

/**
 * Acct-Unique-Session-Id as FreeRADIUS 3 computes it (policy {@code acct_unique}):
 * {@code md5("<Class hash>,<Acct-Session-Id>")} when the Class carries an {@code ai:} hash,
 * else {@code md5("User-Name,Acct-Session-Id,NAS-IP(v6)-Address,NAS-Identifier,NAS-Port-Id,NAS-Port")},
 * missing attributes expanding to empty strings.
 */
public final class AcctUniqueSessionId {

    private static final Pattern CLASS_HASH = Pattern.compile("^ai:([0-9a-fA-F]{32})");

    private AcctUniqueSessionId() {
    }

    public static String compute(String userName, String acctSessionId, String nasIpv6, String nasIp,
                                 String nasIdentifier, String nasPortId, String nasPort, String clazz) {
        if (clazz != null) {
            Matcher m = CLASS_HASH.matcher(clazz);
            if (m.find()) {
                return Md5.hex(m.group(1) + "," + nz(acctSessionId));
            }
        }
        String nas = nasIpv6 != null && !nasIpv6.isEmpty() ? nasIpv6 : nz(nasIp);
        return Md5.hex(nz(userName) + "," + nz(acctSessionId) + "," + nas + "," + nz(nasIdentifier)
                + "," + nz(nasPortId) + "," + nz(nasPort));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
