package org.tollgate.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;

import javax.sip.SipFactory;
import javax.sip.SipStack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.NioPipelineParser;
import gov.nist.javax.sip.parser.SIPMessageListener;
import gov.nist.javax.sip.stack.SIPTransactionStack;

class TcpStreamGuardTest {

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String message(String contentLength, String body) {
        return "MESSAGE sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nContent-Length: " + contentLength
                + "\r\n\r\n" + body;
    }

    static final String HEAD = "MESSAGE sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nCall-ID: c1\r\n";

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
        assertThat(new TcpStreamGuard(65536).check(b("INVITE x SIP/2.0\r\nContent-Length: \u0663\r\n"))).isNotNull();
    }

    @Test
    void aBareLfLineDoesNotEndTheHeadersForTheParserSoNotForTheGuard() {
        // the parser takes "\n" for a header line: the Content-Length after it is this message's
        String probe = HEAD + "Content-Length: 30\r\n\nContent-Length: 2147483647\r\n\r\n";
        assertThat(new TcpStreamGuard(65536).check(b(probe))).contains("2147483647");
    }

    @Test
    void aCrInsideALineIsDroppedAsTheParserDrops() {
        String probe = HEAD + "C\rontent-Length: 2147483647\r\n\r\n";
        assertThat(new TcpStreamGuard(65536).check(b(probe))).contains("2147483647");
    }

    @Test
    void theContentLengthOfTheLastMessageFramesTheNextOneWithoutAny() {
        // the parser never resets it: the second message, without one, has a 30-byte body too;
        // taking it for headers would skip what the parser reads next as a Content-Length
        String decoy = "Content-Length: 500\r\n\r\n";
        String body2 = decoy + "z".repeat(30 - decoy.length());
        String stream = HEAD + "Content-Length: 30\r\n\r\n" + "x".repeat(30)
                + HEAD + "\r\n" + body2
                + HEAD + "Content-Length: 2147483647\r\n\r\n";
        assertThat(new TcpStreamGuard(65536).check(b(stream))).contains("2147483647");
    }

    @Test
    void anEndlessLineIsRefused() {
        assertThat(new TcpStreamGuard(1000).check(b("X".repeat(1001)))).contains("longer");
    }

    // ---- the guard against the RI's own stream parser ----

    static SipStack stack;

    @BeforeAll
    static void stack() throws Exception {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "tollgate.sipstack.tcp-stream-guard-test");
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
        SipFactory f = SipFactory.getInstance();
        f.setPathName("gov.nist");
        stack = f.createSipStack(p);
    }

    @AfterAll
    static void stop() {
        stack.stop();
    }

    /** The RI's parser with nothing behind it, its framing state read from its fields. */
    static final class RiParser {
        static final SIPMessageListener NOWHERE = new SIPMessageListener() {
            @Override
            public void processMessage(SIPMessage m) {
            }

            @Override
            public void sendSingleCLRF() {
            }

            @Override
            public void handleException(java.text.ParseException e, SIPMessage m, Class c, String h, String msg) {
            }
        };
        final NioPipelineParser parser = new NioPipelineParser((SIPTransactionStack) stack, NOWHERE, 1 << 20);

        Object field(String name) {
            try {
                Field f = NioPipelineParser.class.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(parser);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void framesEveryStreamAsTheRiParserDoes() {
        Random random = new Random(13);
        int compared = 0;
        int refused = 0;
        for (int n = 0; n < 20_000; n++) {
            byte[] stream = hostileStream(random);
            List<byte[]> chunks = chunks(stream, random);
            TcpStreamGuard guard = new TcpStreamGuard(65536);
            RiParser ri = new RiParser();
            String replay = "stream " + n + ": " + printable(stream) + " in chunks of " + sizes(chunks);
            for (byte[] chunk : chunks) {
                if (guard.check(chunk) != null) {
                    refused++;
                    break; // the stream is closed; the parser never sees this chunk
                }
                try {
                    ri.parser.addBytes(chunk);
                } catch (OutOfMemoryError e) {
                    throw new AssertionError("the parser allocated what the guard let through: " + replay, e);
                } catch (Exception e) {
                    break; // the parser gave up on the stream: closed
                }
                int riLength = (int) ri.field("contentLength");
                boolean riInBody = (boolean) ri.field("readingMessageBodyContents");
                assertThat(guard.contentLength()).as("Content-Length, " + replay).isEqualTo(riLength);
                assertThat(guard.inBody()).as("in a body, " + replay).isEqualTo(riInBody);
                if (riInBody) {
                    assertThat(guard.bodyLeft()).as("body left, " + replay)
                            .isEqualTo(riLength - (int) ri.field("contentReadSoFar"));
                } else {
                    assertThat(guard.headerRead()).as("a header read, " + replay)
                            .isEqualTo(((CharSequence) ri.field("message")).length() > 0);
                }
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(20_000);
        assertThat(refused).isGreaterThan(1_000);
    }

    static final String[] ENDS = {"\r\n", "\r\n", "\r\n", "\n", "\r", "\r\r\n", "\r\r"};
    static final String[] LENGTHS = {"0", "3", "12", "30", "70000", "2147483647", "-1", "abc", " 5 ", "+4", "",
            "99999999999"};

    /** Messages the way an attacker writes them: stray CRs and LFs, Content-Length lines in every form. */
    static byte[] hostileStream(Random r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int messages = 1 + r.nextInt(3);
        for (int m = 0; m < messages; m++) {
            write(out, "MESSAGE sip:a@b SIP/2.0" + end(r));
            write(out, "Call-ID: c" + m + end(r));
            int lines = r.nextInt(5);
            for (int i = 0; i < lines; i++) {
                String v = LENGTHS[r.nextInt(LENGTHS.length)];
                String line = switch (r.nextInt(9)) {
                    case 0 -> "Content-Length: " + v;
                    case 1 -> "content-LENGTH:" + v;
                    case 2 -> "C\rontent-Length: " + v;
                    case 3 -> "\rContent-Length: " + v;
                    case 4 -> "l: " + v;
                    case 5 -> "Content-Length" + v;
                    case 6 -> "";
                    case 7 -> "\r";
                    default -> "X-H: " + "v".repeat(r.nextInt(4));
                };
                write(out, line + end(r));
            }
            write(out, r.nextInt(4) == 0 ? end(r) : "\r\n");
            int body = r.nextInt(4) == 0 ? 0 : r.nextInt(40);
            for (int i = 0; i < body; i++) {
                int k = r.nextInt(10);
                out.write(k == 0 ? '\r' : k == 1 ? '\n' : 'a' + r.nextInt(26));
            }
            if (r.nextInt(5) == 0) {
                write(out, "Content-Length: 2147483647\r\n\r\n");
            }
        }
        return out.toByteArray();
    }

    static String end(Random r) {
        return ENDS[r.nextInt(ENDS.length)];
    }

    static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(b(s));
    }

    /** The stream as a socket may deliver it: whole, or cut anywhere. */
    static List<byte[]> chunks(byte[] stream, Random r) {
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        boolean whole = r.nextInt(4) == 0;
        while (at < stream.length) {
            int n = whole ? stream.length : 1 + r.nextInt(r.nextBoolean() ? 3 : 30);
            n = Math.min(n, stream.length - at);
            byte[] c = new byte[n];
            System.arraycopy(stream, at, c, 0, n);
            out.add(c);
            at += n;
        }
        return out;
    }

    static List<Integer> sizes(List<byte[]> chunks) {
        return chunks.stream().map(c -> c.length).toList();
    }

    static String printable(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
    }
}
