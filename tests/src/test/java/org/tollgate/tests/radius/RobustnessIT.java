package org.tollgate.tests.radius;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tollgate.aaa.radius.server.RadiusMetrics;
import org.tollgate.tests.bench.RadiusPackets;
import org.tollgate.tests.support.Radclient;
import org.tollgate.tests.support.TollgateInstance;

/** Retransmissions, garbage and mutated packets: answered once, dropped and counted, server unharmed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RobustnessIT {

    private static final byte[] SECRET = "testing123".getBytes(StandardCharsets.UTF_8);

    private TollgateInstance tollgate;
    private final Radclient radclient = new Radclient();

    @BeforeAll
    void start() {
        tollgate = new TollgateInstance();
        assertThat(tollgate.cli("nas", "add", "--name", "gw", "--address", "127.0.0.1", "--secret", "testing123"))
                .isZero();
        assertThat(tollgate.cli("user", "add", "--name", "alice", "--password", "wonderland")).isZero();
    }

    @AfterAll
    void stop() {
        tollgate.close();
    }

    @Test
    void aRetransmittedAccountingRequestIsAnsweredEachTimeAndStoredOnce() throws Exception {
        byte[] start = acctStart("retransmit-1@host", 7);
        try (DatagramChannel ch = channel(tollgate.acctPort())) {
            for (int i = 0; i < 3; i++) {
                ch.write(ByteBuffer.wrap(start));
                byte[] answer = receive(ch);
                assertThat(answer).isNotNull();
                assertThat(answer[0]).isEqualTo((byte) 5); // Accounting-Response
                assertThat(answer[1]).isEqualTo((byte) 7);
            }
            // a NAS may bump Acct-Delay-Time (and so the id) when it retries: still the same record
            ch.write(ByteBuffer.wrap(acctStartWithDelay("retransmit-1@host", 8, 5)));
            assertThat(receive(ch)).isNotNull();
        }
        assertThat(tollgate.jdbc().queryForObject(
                "SELECT count(*) FROM acc_event WHERE acct_session_id = 'retransmit-1@host'", Integer.class)).isEqualTo(1);
    }

    @Test
    void thousandsOfMalformedAndMutatedPacketsAreDroppedAndTheServerKeepsAnswering() throws Exception {
        Random random = new Random(42);
        double droppedBefore = totalDrops();
        byte[] goodAcct = acctStart("fuzz-base@host", 1);
        byte[] goodAuth = new RadiusPackets().string(1, "alice").access(2, SECRET, "wonderland");
        int sent = 0;
        try (DatagramChannel auth = channel(tollgate.authPort()); DatagramChannel acct = channel(tollgate.acctPort())) {
            for (int i = 0; i < 4_000; i++) {
                byte[] p = mutate(i % 2 == 0 ? goodAcct : goodAuth, random, i);
                (i % 2 == 0 ? acct : auth).write(ByteBuffer.wrap(p));
                sent++;
                if (i % 200 == 0) {
                    Thread.sleep(5); // stay under the socket buffer
                }
            }
        }
        assertThat(sent).isEqualTo(4_000);
        // still serving real peers normally
        assertThat(radclient.send(tollgate.authPort(), "auth", "testing123",
                "User-Name = \"alice\", User-Password = \"wonderland\", Message-Authenticator = 0x00").accepted()).isTrue();
        assertThat(radclient.send(tollgate.acctPort(), "acct", "testing123",
                "Acct-Status-Type = Start, Acct-Session-Id = \"after-fuzz\", User-Name = \"alice\"")
                .accountingAnswered()).isTrue();
        assertThat(totalDrops() - droppedBefore).isGreaterThan(2_000);
        // nothing malformed was stored: each stored fuzz record verified against the secret
        assertThat(tollgate.jdbc().queryForObject(
                "SELECT count(*) FROM acc_event WHERE acct_session_id LIKE 'fuzz%' AND acct_session_id <> 'fuzz-base@host'",
                Integer.class)).isZero();
    }

    /** Truncations, random bytes, bad lengths, flipped bits, zero-length attributes, wrong codes. */
    private static byte[] mutate(byte[] good, Random r, int i) {
        byte[] p = good.clone();
        switch (i % 8) {
            case 0 -> p = java.util.Arrays.copyOf(p, r.nextInt(p.length));
            case 1 -> r.nextBytes(p);
            case 2 -> { p[2] = (byte) r.nextInt(256); p[3] = (byte) r.nextInt(256); }
            case 3 -> p[20 + r.nextInt(p.length - 20)] ^= (byte) (1 << r.nextInt(8));
            case 4 -> p[21] = 0; // attribute length 0
            case 5 -> p[21] = (byte) 255; // attribute longer than the packet
            case 6 -> p[0] = (byte) (6 + r.nextInt(250)); // unknown or unexpected code
            default -> {
                p = java.util.Arrays.copyOf(p, p.length + 10);
                r.nextBytes(java.util.Arrays.copyOfRange(p, p.length - 10, p.length));
            }
        }
        return p;
    }

    private double totalDrops() {
        double sum = 0;
        for (RadiusMetrics.Drop d : RadiusMetrics.Drop.values()) {
            sum += tollgate.metrics().dropped(d);
        }
        return sum;
    }

    private static byte[] acctStart(String callId, int id) {
        return acctStartWithDelay(callId, id, 0);
    }

    private static byte[] acctStartWithDelay(String callId, int id, int delay) {
        return new RadiusPackets().integer(40, 1).string(44, callId).string(1, "alice")
                .integer(55, 1_763_000_000).integer(41, delay).accounting(id, SECRET);
    }

    private static DatagramChannel channel(int port) throws Exception {
        DatagramChannel ch = DatagramChannel.open();
        ch.connect(new InetSocketAddress("127.0.0.1", port));
        ch.socket().setSoTimeout(3000);
        return ch;
    }

    private static byte[] receive(DatagramChannel ch) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try {
            ch.socket().receive(new java.net.DatagramPacket(buf.array(), buf.capacity()));
        } catch (SocketTimeoutException e) {
            return null;
        }
        return buf.array();
    }
}
