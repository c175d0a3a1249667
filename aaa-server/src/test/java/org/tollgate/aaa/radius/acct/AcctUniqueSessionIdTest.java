package org.tollgate.aaa.radius.acct;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class AcctUniqueSessionIdTest {

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static final String HASH = "0123456789abcdef0123456789abcdef";

    @Test
    void hashesTheSixAttributesInFreeRadiusOrder() {
        String id = AcctUniqueSessionId.compute("101@kamailio.org", "abc-123@192.0.2.10", null, "192.0.2.10",
                "kamailio-1", "port-7", "5060", null);
        assertThat(id).isEqualTo(md5("101@kamailio.org,abc-123@192.0.2.10,192.0.2.10,kamailio-1,port-7,5060"));
        assertThat(id).matches("[0-9a-f]{32}");
    }

    @Test
    void missingAttributesAreEmptyStrings() {
        assertThat(AcctUniqueSessionId.compute(null, "sid-1", null, "192.0.2.10", null, null, null, null))
                .isEqualTo(md5(",sid-1,192.0.2.10,,,"));
        assertThat(AcctUniqueSessionId.compute(null, null, null, null, null, null, null, null))
                .isEqualTo(md5(",,,,,"));
        assertThat(AcctUniqueSessionId.compute("bob", "sid-1", null, null, "nas", null, "0", null))
                .isEqualTo(md5("bob,sid-1,,nas,,0"));
    }

    @Test
    void eachFieldChangesTheId() {
        String base = AcctUniqueSessionId.compute("u", "s", null, "192.0.2.1", "n", "pid", "1", null);
        assertThat(AcctUniqueSessionId.compute("u2", "s", null, "192.0.2.1", "n", "pid", "1", null)).isNotEqualTo(base);
        assertThat(AcctUniqueSessionId.compute("u", "s2", null, "192.0.2.1", "n", "pid", "1", null)).isNotEqualTo(base);
        assertThat(AcctUniqueSessionId.compute("u", "s", null, "192.0.2.2", "n", "pid", "1", null)).isNotEqualTo(base);
        assertThat(AcctUniqueSessionId.compute("u", "s", null, "192.0.2.1", "n2", "pid", "1", null)).isNotEqualTo(base);
        assertThat(AcctUniqueSessionId.compute("u", "s", null, "192.0.2.1", "n", "pid2", "1", null)).isNotEqualTo(base);
        assertThat(AcctUniqueSessionId.compute("u", "s", null, "192.0.2.1", "n", "pid", "2", null)).isNotEqualTo(base);
    }

    @Test
    void nasIpv6AddressIsPreferredOverNasIpAddress() {
        assertThat(AcctUniqueSessionId.compute("u", "s", "2001:db8::1", "192.0.2.1", "n", "", "1", null))
                .isEqualTo(md5("u,s,2001:db8::1,n,,1"));
        assertThat(AcctUniqueSessionId.compute("u", "s", "2001:db8::1", null, "n", "", "1", null))
                .isEqualTo(md5("u,s,2001:db8::1,n,,1"));
        // an empty IPv6 address falls back to the IPv4 one
        assertThat(AcctUniqueSessionId.compute("u", "s", "", "192.0.2.1", "n", "", "1", null))
                .isEqualTo(md5("u,s,192.0.2.1,n,,1"));
    }

    @Test
    void classWithAiHashIsRehashedWithTheSessionId() {
        String id = AcctUniqueSessionId.compute("u", "sid-9", null, "192.0.2.1", "n", "p", "1", "ai:" + HASH);
        assertThat(id).isEqualTo(md5(HASH + ",sid-9"));
        // the other attributes no longer matter: the NAS may change address or port
        assertThat(AcctUniqueSessionId.compute("other", "sid-9", "2001:db8::9", "198.51.100.1", "x", "y", "2",
                "ai:" + HASH)).isEqualTo(id);
        assertThat(AcctUniqueSessionId.compute(null, null, null, null, null, null, null, "ai:" + HASH))
                .isEqualTo(md5(HASH + ","));
    }

    @Test
    void classWithoutAValidAiHashIsIgnored() {
        String fallback = md5("u,s,192.0.2.1,n,p,1");
        for (String clazz : new String[] {"", "ai:", "ai:0123456789abcdef", "xx:" + HASH, "ai:" + HASH.replace('a', 'g'),
                "some-operator-class"}) {
            assertThat(AcctUniqueSessionId.compute("u", "s", null, "192.0.2.1", "n", "p", "1", clazz))
                    .as(clazz).isEqualTo(fallback);
        }
    }

    /** FreeRADIUS 3 policy acct_unique matches the Class with /^ai:([0-9a-f]{32})/i, anchored at the start. */
    @Test
    void aiHashMustStartTheClass() {
        assertThat(AcctUniqueSessionId.compute("u", "s", null, "192.0.2.1", "n", "p", "1", "foreign-ai:" + HASH))
                .isEqualTo(md5("u,s,192.0.2.1,n,p,1"));
    }
}
