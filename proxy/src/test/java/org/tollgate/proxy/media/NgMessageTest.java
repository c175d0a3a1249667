package org.tollgate.proxy.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NgMessageTest {

    @Test
    void aCommandIsItsCookieASpaceAndABencodedDictionary() {
        byte[] b = new NgMessage("abc_1", Map.of("command", "ping")).encode();
        assertThat(new String(b, StandardCharsets.US_ASCII)).isEqualTo("abc_1 d7:command4:pinge");
        NgMessage back = NgMessage.decode(b, b.length);
        assertThat(back.cookie()).isEqualTo("abc_1");
        assertThat(back.body()).containsEntry("command", "ping");
    }

    @Test
    void garbageIsRefused() {
        byte[] noCookie = "d6:result4:ponge".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> NgMessage.decode(noCookie, noCookie.length)).isInstanceOf(IllegalArgumentException.class);
        byte[] notBencode = "c1 hello".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> NgMessage.decode(notBencode, notBencode.length))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void activityIsTheLatestPacketOfAnyStreamAndTheSumOfTheirCounters() {
        Map<String, Object> stream1 = Map.of("last packet", 1_700_000_010L, "stats", Map.of("packets", 5L, "bytes", 860L));
        Map<String, Object> stream2 = Map.of("last packet", 1_700_000_020L, "stats", Map.of("packets", 7L, "bytes", 1204L));
        Map<String, Object> answer = Map.of("result", "ok", "tags", Map.of(
                "from-1", Map.of("medias", List.of(Map.of("streams", List.of(stream1)))),
                "to-1", Map.of("medias", List.of(Map.of("streams", List.of(stream2))))));
        RtpEngine.Activity a = RtpEngine.activity(answer);
        assertThat(a.lastPacket()).contains(Instant.ofEpochSecond(1_700_000_020L));
        assertThat(a.packets()).isEqualTo(12);
        assertThat(a.bytes()).isEqualTo(2064);
        assertThat(RtpEngine.activity(Map.of("result", "ok")).lastPacket()).isEmpty();
    }
}
