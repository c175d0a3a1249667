package org.tollgate.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class TcpStreamGuardTest {

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String message(String contentLength, String body) {
        return "MESSAGE sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nContent-Length: " + contentLength
                + "\r\n\r\n" + body;
    }

    @Test
    void wellFramedMessagesPassEvenSplitAnywhere() {
        String two = message("5", "hello") + message("0", "");
        for (int cut = 0; cut < two.length(); cut++) {
            TcpStreamGuard g = new TcpStreamGuard(65536);
            assertThat(g.check(b(two.substring(0, cut)))).as("cut at " + cut).isNull();
            assertThat(g.check(b(two.substring(cut)))).as("cut at " + cut).isNull();
        }
    }

    @Test
    void aBodyIsNotReadAsHeaders() {
        // a message/sipfrag body may hold a Content-Length line of its own
        String body = "Content-Length: 999999999\r\n";
        assertThat(new TcpStreamGuard(65536).check(b(message(Integer.toString(body.length()), body)))).isNull();
    }

    @Test
    void aContentLengthTheParserCannotUseIsRefused() {
        assertThat(new TcpStreamGuard(65536).check(b(message("2147483647", "")))).contains("2147483647");
        assertThat(new TcpStreamGuard(65536).check(b(message("70000", "")))).isNotNull();
        assertThat(new TcpStreamGuard(65536).check(b(message("-5", "")))).isNotNull();
        assertThat(new TcpStreamGuard(65536).check(b(message("abc", "")))).isNotNull();
        assertThat(new TcpStreamGuard(65536).check(b(message("99999999999999999999999", "")))).isNotNull();
        assertThat(new TcpStreamGuard(65536).check(b("INVITE x SIP/2.0\r\ncontent-length:   100000000\r\n"))).isNotNull();
    }

    @Test
    void anEndlessLineIsRefused() {
        assertThat(new TcpStreamGuard(1000).check(b("X".repeat(1001)))).contains("longer");
    }
}
