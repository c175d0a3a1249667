package org.tollgate.proxy.aaa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tinyradius.core.packet.request.RadiusRequest;

class AccountingRequestsTest {

    private static final Instant EVENT = Instant.parse("2024-05-01T10:15:30.250Z");

    private final RadiusClientSettings settings = RadiusClientSettings.of(
            List.of(RadiusClientSettings.Server.parse("127.0.0.1:1812", "testing123")),
            List.of(RadiusClientSettings.Server.parse("127.0.0.1:1813", "testing123")),
            address("192.0.2.7"), 5060);
    private final AccountingRequests requests = new AccountingRequests(new AttributeEncoder(SipAccDictionary.get()), settings);

    @Test
    void startHasStatusTimestampNasAndTheRecordsAttributesInOrder() throws Exception {
        AccountingRecord r = new AccountingRecord("Start", EVENT, List.of(
                attr("Sip-Method", "INVITE"), attr("Sip-Response-Code", "200"), attr("Sip-From-Tag", "ft1"),
                attr("Acct-Session-Id", "call-1@host"), attr("Service-Type", "Sip-Session"),
                attr("Sip-Src-IP", "198.51.100.1"), attr("Calling-Station-Id", "sip:101@example.com")));
        byte[] p = requests.build(r, (byte) 7, 0).encodeRequest("testing123").toBytes();

        assertThat(p[0]).isEqualTo((byte) 4);
        assertThat(p[1]).isEqualTo((byte) 7);
        List<Bytes.Attr> a = Bytes.attributes(p);
        assertThat(a).extracting(Bytes.Attr::type).containsExactly(40, 55, 4, 5, 101, 102, 105, 44, 6, 108, 31);
        assertThat(a.get(0).int32()).isEqualTo(1);
        assertThat(a.get(1).int32()).isEqualTo((int) EVENT.getEpochSecond());
        assertThat(a.get(2).value()).containsExactly(192, 0, 2, 7);
        assertThat(a.get(3).int32()).isEqualTo(5060);
        assertThat(a.get(4).int32()).isEqualTo(1);   // INVITE
        assertThat(a.get(5).int32()).isEqualTo(200);
        assertThat(a.get(6).text()).isEqualTo("ft1");
        assertThat(a.get(7).text()).isEqualTo("call-1@host");
        assertThat(a.get(8).int32()).isEqualTo(15);  // Sip-Session
        assertThat(a.get(9).text()).isEqualTo("198.51.100.1");
        // RFC 2866 Request Authenticator: MD5(code+id+length+16 zero octets+attributes+secret)
        byte[] zeroed = p.clone();
        Arrays.fill(zeroed, 4, 20, (byte) 0);
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update(zeroed);
        md5.update("testing123".getBytes());
        assertThat(Arrays.copyOfRange(p, 4, 20)).containsExactly(md5.digest());
    }

    @Test
    void statusTypesAndDictionarySpellings() throws Exception {
        assertThat(status("Stop")).isEqualTo(2);
        assertThat(status("Interim-Update")).isEqualTo(3);
        assertThat(status("interim-update")).isEqualTo(3);
        assertThat(status("Failed")).isEqualTo(15);
        byte[] p = requests.build(new AccountingRecord("Failed", EVENT, List.of(attr("Sip-Method", "REGISTER"),
                attr("Acct-Terminate-Cause", "User-Request"))), (byte) 1, 0).encodeRequest("s").toBytes();
        assertThat(Bytes.ofType(p, 101).get(0).int32()).isEqualTo(128);
        assertThat(Bytes.ofType(p, 49).get(0).int32()).isEqualTo(1);
    }

    @Test
    void delayAddsAcctDelayTime() throws Exception {
        byte[] p = requests.build(new AccountingRecord("Stop", EVENT, List.of()), (byte) 1, 42)
                .encodeRequest("s").toBytes();
        assertThat(Bytes.ofType(p, 41)).singleElement().extracting(Bytes.Attr::int32).isEqualTo(42);
        assertThat(Bytes.ofType(requests.build(new AccountingRecord("Stop", EVENT, List.of()), (byte) 1, 0)
                .encodeRequest("s").toBytes(), 41)).isEmpty();
    }

    @Test
    void unknownNamesAndBadValuesAreLeftOut() throws Exception {
        RadiusRequest req = requests.build(new AccountingRecord("Stop", EVENT, List.of(attr("No-Such-Attribute", "x"),
                attr("Sip-Response-Code", "not-a-number"), attr("Acct-Session-Id", "c"),
                attr("Event-Timestamp", "1"))), (byte) 1, 0);
        assertThat(Bytes.attributes(req.encodeRequest("s").toBytes())).extracting(Bytes.Attr::type)
                .containsExactly(40, 55, 4, 5, 44);
    }

    @Test
    void everyAttributeTheCallAccountantSendsIsInTheDictionary() throws Exception {
        List<AccountingRecord.Attribute> all = List.of(attr("Service-Type", "Sip-Session"), attr("Sip-Method", "Invite"),
                attr("Sip-Response-Code", "487"), attr("Acct-Session-Id", "c"), attr("Sip-From-Tag", "f"),
                attr("Sip-To-Tag", "t"), attr("Sip-Cseq", "1"), attr("User-Name", "101@example.com"),
                attr("Calling-Station-Id", "sip:101@example.com"), attr("Called-Station-Id", "sip:102@example.com"),
                attr("Sip-Translated-Request-URI", "sip:102@192.0.2.1"), attr("Sip-Src-IP", "192.0.2.9"),
                attr("Sip-Src-Port", "5060"), attr("Acct-Interim-Interval", "900"), attr("Acct-Session-Time", "61"),
                attr("Acct-Terminate-Cause", "Session-Timeout"));
        byte[] p = requests.build(new AccountingRecord("Stop", EVENT, all), (byte) 1, 0).encodeRequest("s").toBytes();
        assertThat(Bytes.attributes(p)).hasSize(4 + all.size());
        assertThat(Bytes.ofType(p, 49).get(0).int32()).isEqualTo(5);
    }

    @Test
    void unknownStatusTypeIsRefusedAtOnce() {
        assertThatThrownBy(() -> requests.check(new AccountingRecord("Begin", EVENT, List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Begin");
    }

    @Test
    void ipv6NasAddressUsesNasIpv6Address() throws Exception {
        AccountingRequests v6 = new AccountingRequests(new AttributeEncoder(SipAccDictionary.get()),
                RadiusClientSettings.of(settings.authServers(), settings.acctServers(), address("2001:db8::1"), 1));
        byte[] p = v6.build(new AccountingRecord("Start", EVENT, List.of()), (byte) 1, 0).encodeRequest("s").toBytes();
        assertThat(Bytes.ofType(p, 95)).singleElement().extracting(a -> a.value().length).isEqualTo(16);
        assertThat(Bytes.ofType(p, 4)).isEmpty();
    }

    private int status(String name) throws Exception {
        byte[] p = requests.build(new AccountingRecord(name, EVENT, List.of()), (byte) 1, 0).encodeRequest("s").toBytes();
        return Bytes.ofType(p, 40).get(0).int32();
    }

    static AccountingRecord.Attribute attr(String name, String value) {
        return new AccountingRecord.Attribute(name, value);
    }

    static InetAddress address(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
