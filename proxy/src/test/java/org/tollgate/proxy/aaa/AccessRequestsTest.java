package org.tollgate.proxy.aaa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class AccessRequestsTest {

    private final RadiusClientSettings settings = RadiusClientSettings.of(
            List.of(RadiusClientSettings.Server.parse("127.0.0.1:1812", "testing123")),
            List.of(RadiusClientSettings.Server.parse("127.0.0.1:1813", "testing123")),
            AccountingRequestsTest.address("192.0.2.7"), 0);
    private final AccessRequests requests = new AccessRequests(new AttributeEncoder(SipAccDictionary.get()), settings);

    static DigestCheck check(String user, String qop) {
        return new DigestCheck(user, "kamailio.org", "abc123", "sip:kamailio.org", "REGISTER",
                "0123456789abcdef0123456789abcdef", qop, qop == null ? null : "cn1", qop == null ? null : "00000001",
                "MD5", "101");
    }

    @Test
    void digestAttributesOnePerSubAttributeDraftStermanLayout() throws Exception {
        byte[] p = requests.digest(check("101", "auth"), (byte) 9).encodeRequest("testing123").toBytes();

        assertThat(p[0]).isEqualTo((byte) 1);
        assertThat(Bytes.ofType(p, 1)).singleElement().extracting(Bytes.Attr::text).isEqualTo("101@kamailio.org");
        List<Bytes.Attr> subs = Bytes.ofType(p, 207);
        assertThat(subs).extracting(a -> a.value()[0] & 0xff).containsExactly(1, 2, 3, 4, 5, 9, 8, 6, 10);
        for (Bytes.Attr a : subs) {
            assertThat(a.value()[1] & 0xff).isEqualTo(a.value().length); // sub-length counts its 2 header octets
        }
        assertThat(subs.get(0).value()).containsExactly(concat(new byte[] {1, 14}, "kamailio.org".getBytes()));
        assertThat(new String(subs.get(2).value(), 2, subs.get(2).value().length - 2)).isEqualTo("REGISTER");
        assertThat(new String(subs.get(5).value(), 2, 8)).isEqualTo("00000001");
        assertThat(Bytes.ofType(p, 206)).singleElement().extracting(Bytes.Attr::text)
                .isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(Bytes.ofType(p, 6)).singleElement().extracting(Bytes.Attr::int32).isEqualTo(15);
        assertThat(Bytes.ofType(p, 208)).singleElement().extracting(Bytes.Attr::text).isEqualTo("101");
        assertThat(Bytes.ofType(p, 4)).singleElement().extracting(Bytes.Attr::value).isEqualTo(new byte[] {(byte) 192, 0, 2, 7});
        assertMessageAuthenticator(p, "testing123");
    }

    @Test
    void withoutQopNoQopSubAttributesAndUserWithRealmKept() throws Exception {
        byte[] p = requests.digest(check("101@other.org", null), (byte) 1).encodeRequest("s").toBytes();
        assertThat(Bytes.ofType(p, 1).get(0).text()).isEqualTo("101@other.org");
        assertThat(Bytes.ofType(p, 207)).extracting(a -> a.value()[0] & 0xff).containsExactly(1, 2, 3, 4, 6, 10);
    }

    @Test
    void groupCheck() throws Exception {
        byte[] p = requests.groupCheck("101@kamailio.org", "pstn", (byte) 3).encodeRequest("testing123").toBytes();
        assertThat(Bytes.ofType(p, 1).get(0).text()).isEqualTo("101@kamailio.org");
        assertThat(Bytes.ofType(p, 211).get(0).text()).isEqualTo("pstn");
        assertThat(Bytes.ofType(p, 6).get(0).int32()).isEqualTo(12);
        assertMessageAuthenticator(p, "testing123");
    }

    @Test
    void anInvitesDigestCheckNamesItsCallAndAReauthorizationTheSecondsUsed() throws Exception {
        CallAuthorization call = new CallAuthorization("c-1@host", "sip:0049301234@kamailio.org", 0, true);
        byte[] first = requests.digest(check("101", "auth"), call, (byte) 4).encodeRequest("testing123").toBytes();
        assertThat(Bytes.ofType(first, 44).get(0).text()).isEqualTo("c-1@host");
        assertThat(Bytes.ofType(first, 30).get(0).text()).isEqualTo("sip:0049301234@kamailio.org");
        assertThat(Bytes.ofType(first, 46)).as("no Acct-Session-Time on the first").isEmpty();
        assertThat(Bytes.ofType(first, 206)).as("the digest as ever").hasSize(1);

        byte[] again = requests.digest(check("101", "auth"), call.used(42, false), (byte) 5).encodeRequest("testing123")
                .toBytes();
        assertThat(Bytes.ofType(again, 46).get(0).int32()).isEqualTo(42);
        assertThat(Bytes.ofType(again, 44).get(0).text()).isEqualTo("c-1@host");
        assertMessageAuthenticator(again, "testing123");
    }

    @Test
    void anAuthorizationWithoutCredentialsForATrustedCaller() throws Exception {
        byte[] p = requests.authorization("301@gw.example", new CallAuthorization("c-2", "sip:0049@gw.example", 7, true),
                (byte) 6).encodeRequest("testing123").toBytes();
        assertThat(Bytes.ofType(p, 1).get(0).text()).isEqualTo("301@gw.example");
        assertThat(Bytes.ofType(p, 6).get(0).int32()).isEqualTo(15);
        assertThat(Bytes.ofType(p, 46).get(0).int32()).isEqualTo(7);
        assertThat(Bytes.ofType(p, 206)).isEmpty();
        assertMessageAuthenticator(p, "testing123");
    }

    /** RFC 3579 §3.2: HMAC-MD5 over the packet with the Message-Authenticator zeroed. */
    static void assertMessageAuthenticator(byte[] p, String secret) throws Exception {
        int length = ((p[2] & 0xff) << 8) | (p[3] & 0xff);
        byte[] zeroed = p.clone();
        byte[] sent = null;
        for (int i = 20; i < length; i += p[i + 1] & 0xff) {
            if (p[i] == 80) {
                sent = Arrays.copyOfRange(p, i + 2, i + 18);
                Arrays.fill(zeroed, i + 2, i + 18, (byte) 0);
            }
        }
        assertThat(sent).as("Message-Authenticator").isNotNull();
        Mac mac = Mac.getInstance("HmacMD5");
        mac.init(new SecretKeySpec(secret.getBytes(), "HmacMD5"));
        assertThat(sent).containsExactly(mac.doFinal(zeroed));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
