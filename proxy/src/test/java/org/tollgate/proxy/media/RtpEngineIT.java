package org.tollgate.proxy.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ng client against a real rtpengine (userspace, {@code --table=-1}): offer, answer, media, query, delete, failover. */
class RtpEngineIT {

    static Process rtpengine;
    static Path log;
    static int ngPort;
    static NgClient client;

    @BeforeAll
    static void start() throws Exception {
        ngPort = freeUdpPort();
        log = Files.createTempFile("rtpengine", ".log");
        rtpengine = new ProcessBuilder("rtpengine", "--config-file=none", "--table=-1", "--interface=127.0.0.1",
                "--listen-ng=127.0.0.1:" + ngPort, "--port-min=31000", "--port-max=31999", "--timeout=10",
                "--foreground", "--log-stderr", "--pidfile=" + log.resolveSibling(log.getFileName() + ".pid"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // a relay that does not exist first: every command fails over to the real one
        client = new NgClient(List.of(new InetSocketAddress("127.0.0.1", freeUdpPort()),
                new InetSocketAddress("127.0.0.1", ngPort)), Duration.ofMillis(300), 2);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!client.ping(client.relays().get(1))) {
            if (System.nanoTime() > end || !rtpengine.isAlive()) {
                throw new IllegalStateException("rtpengine did not start: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (rtpengine != null) {
            rtpengine.destroy();
        }
    }

    static String sdp(int port) {
        return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    }

    static int port(String sdp) {
        Matcher m = Pattern.compile("m=audio (\\d+) ").matcher(sdp);
        assertThat(m.find()).as(sdp).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void offerAnswerMediaQueryAndDelete() throws Exception {
        RtpEngine relay = new RtpEngine(client, List.of());
        try (DatagramSocket caller = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket callee = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String offered = relay.offer("call-1@test", "from-1", sdp(caller.getLocalPort())).join();
            int towardsCaller = port(offered);
            assertThat(offered).contains("c=IN IP4 127.0.0.1");
            assertThat(towardsCaller).isBetween(31000, 31999);
            String answered = relay.answer("call-1@test", "from-1", "to-1", sdp(callee.getLocalPort())).join();
            int towardsCallee = port(answered);
            assertThat(towardsCallee).isBetween(31000, 31999).isNotEqualTo(towardsCaller);

            // RTP both ways through the relay: the callee sends where the offer says, the caller where the answer says
            callee.setSoTimeout(2000);
            caller.setSoTimeout(2000);
            for (int seq = 0; seq < 5; seq++) {
                callee.send(rtp(seq, new InetSocketAddress("127.0.0.1", towardsCaller)));
                caller.send(rtp(seq, new InetSocketAddress("127.0.0.1", towardsCallee)));
            }
            DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
            caller.receive(in);
            assertThat(in.getLength()).isEqualTo(172);

            RtpEngine.Activity a = relay.query("call-1@test").join();
            assertThat(a.packets()).isGreaterThanOrEqualTo(10);
            assertThat(a.lastPacket()).get().satisfies(t ->
                    assertThat(Duration.between(t, Instant.now()).abs()).isLessThan(Duration.ofSeconds(3)));

            RtpEngine.Activity totals = relay.delete("call-1@test", "from-1").join();
            assertThat(totals.packets()).isGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void aCallTheRelayDoesNotKnowIsItsError() {
        RtpEngine relay = new RtpEngine(client, List.of());
        assertThatThrownBy(() -> relay.answer("nobody@test", "f", "t", sdp(40000)).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(NgClient.RelayError.class);
    }

    @Test
    void noRelayAtAllIsNoRelay() {
        try (NgClient none = new NgClient(List.of(new InetSocketAddress("127.0.0.1", freeUdpPort())),
                Duration.ofMillis(100), 2)) {
            assertThatThrownBy(() -> new RtpEngine(none, List.of()).offer("c", "f", sdp(40000)).join())
                    .hasCauseInstanceOf(NgClient.NoRelay.class);
        }
    }

    static DatagramPacket rtp(int seq, InetSocketAddress to) {
        byte[] b = new byte[172];
        b[0] = (byte) 0x80;
        b[1] = 0; // PCMU
        b[2] = (byte) (seq >> 8);
        b[3] = (byte) seq;
        int ts = seq * 160;
        b[4] = (byte) (ts >> 24);
        b[5] = (byte) (ts >> 16);
        b[6] = (byte) (ts >> 8);
        b[7] = (byte) ts;
        b[11] = 1; // SSRC
        return new DatagramPacket(b, b.length, to);
    }

    static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
