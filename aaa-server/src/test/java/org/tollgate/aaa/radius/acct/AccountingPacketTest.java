package org.tollgate.aaa.radius.acct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.tinyradius.core.attribute.type.RadiusAttribute;
import org.tinyradius.core.attribute.type.VendorSpecificAttribute;
import org.tinyradius.core.dictionary.Dictionary;
import org.tinyradius.core.packet.PacketType;
import org.tinyradius.core.packet.request.RadiusRequest;
import org.tinyradius.core.packet.response.RadiusResponse;
import org.tollgate.aaa.radius.StorableText;
import org.tollgate.api.net.Cidr;
import org.tollgate.aaa.radius.client.NasClient;
import org.tollgate.aaa.radius.dictionary.DictionaryProfile;
import org.tollgate.aaa.radius.dictionary.RadiusDictionaries;
import org.tollgate.api.AccountingEvent;
import org.tollgate.api.AccountingStatus;

/** The accounting fast path, checked against TinyRadius as the reference encoder and decoder. */
class AccountingPacketTest {

    private static final RadiusDictionaries DICTS = RadiusDictionaries.load(null);
    private static final Dictionary DICT = DICTS.forProfile(DictionaryProfile.SIP_ACC);
    private static final String SECRET = "testing123";
    private static final NasClient NAS = new NasClient("kam", Cidr.parse("127.0.0.1"), SECRET, "kamailio",
            DictionaryProfile.SIP_ACC, true);

    @Test
    void readsWhatTinyRadiusEncodesAndVerifiesTheAuthenticator() throws Exception {
        byte[] raw = encode(start(), SECRET);
        AccountingPacket p = AccountingPacket.parse(raw, DICT);
        assertThat(p.authenticatorValid(SECRET.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(p.authenticatorValid("other".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(p.id()).isEqualTo(42);

        AccountingEvent e = AccountingEventMapper.map(p, DICTS.names(DictionaryProfile.SIP_ACC), NAS, "127.0.0.1",
                Instant.parse("2026-11-21T10:00:05Z"));
        assertThat(e.status()).isEqualTo(AccountingStatus.START);
        assertThat(e.sipMethod()).isEqualTo("INVITE");
        assertThat(e.sipResponseCode()).isEqualTo(200);
        assertThat(e.sipFromTag()).isEqualTo("111aa0fda452c726");
        assertThat(e.sipSrcPort()).isEqualTo(5068);
        assertThat(e.eventTime()).isEqualTo(Instant.ofEpochSecond(1142177361));
        assertThat(e.attributes()).contains(new AccountingEvent.Attribute("Service-Type", "Sip-Session"),
                new AccountingEvent.Attribute("NAS-IP-Address", "127.0.0.1"),
                new AccountingEvent.Attribute("Cisco-AVPair", "h323-call-origin=originate"));
    }

    @Test
    void theResponseIsOneTinyRadiusAcceptsAsTheAnswerToTheRequest() throws Exception {
        List<RadiusAttribute> attrs = start();
        attrs.add(DICT.createAttribute("Proxy-State", "01020304"));
        byte[] raw = encode(attrs, SECRET);
        byte[] response = AccountingPacket.parse(raw, DICT).response(SECRET.getBytes(StandardCharsets.UTF_8));
        RadiusResponse decoded = RadiusResponse.fromByteBuf(DICT, Unpooled.wrappedBuffer(response));
        byte[] requestAuth = java.util.Arrays.copyOfRange(raw, 4, 20);
        decoded.decodeResponse(SECRET, requestAuth); // throws when the authenticator is wrong
        assertThat(decoded.getType()).isEqualTo(PacketType.ACCOUNTING_RESPONSE);
        assertThat(decoded.getId()).isEqualTo((byte) 42);
        assertThat(decoded.getAttribute("Proxy-State")).isPresent();
    }

    @Test
    void theRecordKeyIgnoresWhatARetransmissionMayChange() throws Exception {
        List<RadiusAttribute> later = start();
        later.removeIf(a -> a.getType() == 41);
        later.add(DICT.createAttribute("Acct-Delay-Time", "30"));
        AccountingEvent first = event(encode(start(), SECRET));
        AccountingEvent retry = event(encode(later, SECRET));
        assertThat(retry.recordKey()).isEqualTo(first.recordKey());
        List<RadiusAttribute> stop = start();
        stop.removeIf(a -> a.getType() == 40);
        stop.add(DICT.createAttribute("Acct-Status-Type", "Stop"));
        assertThat(event(encode(stop, SECRET)).recordKey()).isNotEqualTo(first.recordKey());
    }

    @Test
    void theSessionKeyIsTheSameWhicheverSideSentTheRecord() throws Exception {
        List<RadiusAttribute> reversed = start();
        reversed.removeIf(a -> a.getType() == 104 || a.getType() == 105);
        reversed.add(DICT.createAttribute("Sip-From-Tag", "00D0E90101B8_T9513"));
        reversed.add(DICT.createAttribute("Sip-To-Tag", "111aa0fda452c726"));
        assertThat(event(encode(reversed, SECRET)).sessionKey()).isEqualTo(event(encode(start(), SECRET)).sessionKey());
    }

    @Test
    void textPostgresCannotHoldIsMadeSafeAndItsBytesKept() throws Exception {
        List<RadiusAttribute> a = start();
        a.removeIf(x -> x.getType() == 1 || x.getType() == 44);
        a.add(DICT.createAttribute(-1, 1, new byte[] {'a', 'l', 0, 'i', 'c', 'e'}));
        a.add(DICT.createAttribute(-1, 44, new byte[] {'c', (byte) 0xff, '1'}));
        a.add(new VendorSpecificAttribute(DICT, 9, List.of(DICT.createAttribute("Cisco-AVPair", "x=1"))));
        a.add(new VendorSpecificAttribute(DICT, 9, List.of(DICT.createAttribute(9, 1, new byte[] {'y', 0}))));
        List<StorableText.Problem> heard = new ArrayList<>();
        AccountingEvent e = AccountingEventMapper.map(AccountingPacket.parse(encode(a, SECRET), DICT),
                DICTS.names(DictionaryProfile.SIP_ACC), NAS, "127.0.0.1", Instant.now(), heard::add);

        assertThat(e.userName()).isEqualTo("al\uFFFDice");
        assertThat(e.acctSessionId()).isEqualTo("c\uFFFD1");
        assertThat(e.attributes()).contains(
                new AccountingEvent.Attribute("User-Name", "al\uFFFDice"),
                new AccountingEvent.Attribute("User-Name.octets", "0x616C00696365"),
                new AccountingEvent.Attribute("Acct-Session-Id.octets", "0x63FF31"));
        // a repeated attribute: the original bytes of each occurrence, in order
        assertThat(e.attributes()).filteredOn(x -> x.name().equals("Cisco-AVPair.octets"))
                .extracting(AccountingEvent.Attribute::value)
                .containsExactly("0x683332332D63616C6C2D6F726967696E3D6F726967696E617465", "0x783D31", "0x7900");
        assertThat(e.attributes()).noneMatch(x -> x.name().equals("Sip-Method.octets"));
        assertThat(e.attributes()).noneMatch(x -> x.value().indexOf('\0') >= 0);
        assertThat(heard).containsExactlyInAnyOrder(StorableText.Problem.NUL, StorableText.Problem.NOT_UTF8);
        // the key is over the bytes as sent: a retransmission still finds its row
        assertThat(event(encode(a, SECRET)).recordKey()).isEqualTo(e.recordKey());
    }

    @Test
    void malformedBytesAreRejected() throws Exception {
        byte[] good = encode(start(), SECRET);
        assertThatThrownBy(() -> AccountingPacket.parse(new byte[10], DICT)).isInstanceOf(AccountingPacket.MalformedException.class);
        byte[] badLength = good.clone();
        badLength[2] = 0x7f;
        assertThatThrownBy(() -> AccountingPacket.parse(badLength, DICT)).isInstanceOf(AccountingPacket.MalformedException.class);
        byte[] zeroAttr = good.clone();
        zeroAttr[21] = 0;
        assertThatThrownBy(() -> AccountingPacket.parse(zeroAttr, DICT)).isInstanceOf(AccountingPacket.MalformedException.class);
        byte[] overlong = good.clone();
        overlong[21] = (byte) 250;
        assertThatThrownBy(() -> AccountingPacket.parse(overlong, DICT)).isInstanceOf(AccountingPacket.MalformedException.class);
        byte[] access = good.clone();
        access[0] = 1;
        assertThatThrownBy(() -> AccountingPacket.parse(access, DICT)).isInstanceOf(AccountingPacket.MalformedException.class);
    }

    private static AccountingEvent event(byte[] raw) throws Exception {
        return AccountingEventMapper.map(AccountingPacket.parse(raw, DICT), DICTS.names(DictionaryProfile.SIP_ACC),
                NAS, "127.0.0.1", Instant.now());
    }

    @Test
    void radclisEncodingsOfTheSourceAndKamailiosSubSecondTimestampAreRead() throws Exception {
        // radcli's dictionary.sip: Sip-Src-IP an ipaddr, Sip-Src-Port an integer; rad_time_mode=1: text time
        List<RadiusAttribute> attrs = new ArrayList<>();
        for (RadiusAttribute a : start()) {
            String name = a.getAttributeName();
            if (!name.equals("Sip-Src-Port") && !name.equals("Event-Timestamp")) {
                attrs.add(a);
            }
        }
        attrs.add(DICT.createAttribute(-1, (byte) 108, new byte[] {(byte) 192, 0, 2, 7}));
        attrs.add(DICT.createAttribute(-1, (byte) 109, new byte[] {0, 0, 0x13, (byte) 0xe3}));
        // TinyRadius refuses a date that is not 4 octets: the text one is appended to its encoding by hand
        byte[] raw = withAttribute(encode(attrs, SECRET), 55, "1796510190.156747".getBytes(StandardCharsets.US_ASCII));
        AccountingPacket p = AccountingPacket.parse(raw, DICT);
        assertThat(p.authenticatorValid(SECRET.getBytes(StandardCharsets.UTF_8))).isTrue();
        AccountingEvent e = AccountingEventMapper.map(p, DICTS.names(DictionaryProfile.SIP_ACC), NAS, "127.0.0.1",
                Instant.parse("2026-12-06T10:00:05Z"));
        assertThat(e.sipSrcIp()).isEqualTo("192.0.2.7");
        assertThat(e.sipSrcPort()).isEqualTo(5091);
        assertThat(e.eventTime()).isEqualTo(Instant.ofEpochSecond(1796510190L, 156_747_000L));
        assertThat(e.attributes()).contains(new AccountingEvent.Attribute("Sip-Src-IP", "192.0.2.7"),
                new AccountingEvent.Attribute("Sip-Src-Port", "5091"),
                new AccountingEvent.Attribute("Event-Timestamp", "2026-12-05T22:36:30.156747Z"));
        assertThat(e.attributes()).noneMatch(a -> a.name().endsWith(".octets"));
    }

    private static List<RadiusAttribute> start() {
        List<RadiusAttribute> a = new ArrayList<>();
        a.add(DICT.createAttribute("Acct-Status-Type", "Start"));
        a.add(DICT.createAttribute("Service-Type", "Sip-Session"));
        a.add(DICT.createAttribute("Sip-Response-Code", "200"));
        a.add(DICT.createAttribute("Sip-Method", "INVITE"));
        a.add(DICT.createAttribute("User-Name", "101@kamailio.org"));
        a.add(DICT.createAttribute("Acct-Session-Id", "1dbe198c82543fa2@192.168.0.11"));
        a.add(DICT.createAttribute("Sip-To-Tag", "00D0E90101B8_T9513"));
        a.add(DICT.createAttribute("Sip-From-Tag", "111aa0fda452c726"));
        a.add(DICT.createAttribute("Sip-Src-Port", "5068"));
        a.add(DICT.createAttribute("NAS-IP-Address", "127.0.0.1"));
        a.add(DICT.createAttribute("Acct-Delay-Time", "0"));
        a.add(DICT.createAttribute("Event-Timestamp", "1142177361"));
        a.add(new VendorSpecificAttribute(DICT, 9, List.of(DICT.createAttribute("Cisco-AVPair", "h323-call-origin=originate"))));
        return a;
    }

    /** An Accounting-Request with one more attribute, its length and Request Authenticator made anew. */
    private static byte[] withAttribute(byte[] raw, int type, byte[] value) throws Exception {
        byte[] out = java.util.Arrays.copyOf(raw, raw.length + 2 + value.length);
        out[raw.length] = (byte) type;
        out[raw.length + 1] = (byte) (2 + value.length);
        System.arraycopy(value, 0, out, raw.length + 2, value.length);
        out[2] = (byte) (out.length >> 8);
        out[3] = (byte) out.length;
        java.util.Arrays.fill(out, 4, 20, (byte) 0);
        java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
        md5.update(out);
        md5.update(SECRET.getBytes(StandardCharsets.UTF_8));
        System.arraycopy(md5.digest(), 0, out, 4, 16);
        return out;
    }

    private static byte[] encode(List<RadiusAttribute> attrs, String secret) throws Exception {
        RadiusRequest r = RadiusRequest.create(DICT, PacketType.ACCOUNTING_REQUEST, (byte) 42, null, attrs)
                .encodeRequest(secret);
        return r.toBytes();
    }
}
