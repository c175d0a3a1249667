package org.tollgate.proxy.aaa;

import org.tollgate.proxy.testutil.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinyradius.core.attribute.type.RadiusAttribute;
import org.tinyradius.core.packet.request.RadiusRequest;

/** The accounting client against real UDP responders. */
class RadiusAccountingClientIT {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path spoolDir;

    private final MutableClock clock = new MutableClock(T0.plusSeconds(1000));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private TestRadiusServer primary;
    private TestRadiusServer secondary;

    @BeforeEach
    void servers() throws Exception {
        primary = track(new TestRadiusServer("acct-secret-1"));
        secondary = track(new TestRadiusServer("acct-secret-2"));
    }

    @AfterEach
    void closeAll() throws Exception {
        java.util.Collections.reverse(closing);
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        closing.add(c);
        return c;
    }

    private RadiusClientSettings settings(TestRadiusServer... acct) {
        return RadiusClientSettings.of(List.of(primary.server()),
                        java.util.Arrays.stream(acct).map(TestRadiusServer::server).toList(),
                        InetAddress.getLoopbackAddress(), 5060)
                .withRetries(Duration.ofMillis(150), 2)
                .withSpoolDir(spoolDir);
    }

    private RadiusAccountingClient client(RadiusClientSettings s) {
        return track(new RadiusAccountingClient(s, registry, clock, 1000, Duration.ofMillis(200)));
    }

    static AccountingRecord record(int i) {
        return new AccountingRecord(i % 2 == 0 ? "Start" : "Stop", T0.plusSeconds(i), List.of(
                new AccountingRecord.Attribute("Acct-Session-Id", "call-" + i),
                new AccountingRecord.Attribute("Sip-Method", i % 2 == 0 ? "INVITE" : "BYE"),
                new AccountingRecord.Attribute("Sip-Response-Code", "200")));
    }

    private static List<String> sessions(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "call-" + i).toList();
    }

    private double count(String result) {
        return registry.get("tollgate.proxy.acct").tag("result", result).counter().count();
    }

    @Test
    void retransmitsUntilAnswered() {
        primary.dropNext.set(1);
        RadiusAccountingClient client = client(settings(primary));
        client.send(record(0));
        Await.until("answer", WAIT, () -> count("answered") == 1);
        assertThat(primary.received).hasSize(2);
        assertThat(primary.answeredSessions()).containsExactly("call-0");
        RadiusRequest r = primary.answered.get(0);
        assertThat(r.getAttribute("Event-Timestamp").map(a -> a.getValue()).orElseThrow())
                .containsExactly(AttributeEncoder.int32(T0.getEpochSecond()));
        assertThat(r.getAttribute("NAS-Port").map(RadiusAttribute::getValueString)).contains("5060");
        assertThat(count("sent")).isEqualTo(1);
        assertThat(count("spooled")).isZero();
    }

    @Test
    void failsOverToTheSecondServerWhenThePrimaryIsSilent() {
        primary.silent = true;
        RadiusAccountingClient client = client(settings(primary, secondary));
        client.send(record(0));
        Await.until("answer from the secondary", WAIT, () -> count("answered") == 1);
        assertThat(primary.received).hasSize(2); // both tries
        assertThat(secondary.answeredSessions()).containsExactly("call-0");
        client.send(record(1)); // the server that answered is tried first now
        Await.until("second answer", WAIT, () -> count("answered") == 2);
        assertThat(primary.received).hasSize(2);
        assertThat(secondary.answeredSessions()).containsExactly("call-0", "call-1");
    }

    @Test
    void spoolsWhileNoServerAnswersAndReplaysInOrderWhenOneComesBack() {
        primary.silent = true;
        secondary.silent = true;
        RadiusAccountingClient client = client(settings(primary, secondary));
        client.send(record(0));
        Await.until("first record spooled", WAIT, () -> count("spooled") == 1);
        for (int i = 1; i < 6; i++) {
            client.send(record(i)); // straight to the spool behind the first
        }
        Await.until("all spooled", WAIT, () -> count("spooled") == 6);
        assertThat(client.spoolDepth()).isEqualTo(6);
        assertThat(registry.get("tollgate.proxy.acct.spool.depth").gauge().value()).isEqualTo(6);

        secondary.silent = false;
        Await.until("replayed", WAIT, () -> count("replayed") == 6);
        assertThat(secondary.answeredSessions()).isEqualTo(sessions(0, 6));
        // Acct-Delay-Time = now - event time
        assertThat(secondary.answered).allSatisfy(r -> {
            int i = Integer.parseInt(TestRadiusServer.value(r, "Acct-Session-Id").substring(5));
            assertThat(TestRadiusServer.value(r, "Acct-Delay-Time")).isEqualTo(String.valueOf(1000 - i));
        });
        Await.until("spool emptied", WAIT, () -> client.spoolDepth() == 0);
        assertThat(spoolDir.toFile().list()).isEmpty();

        client.send(record(6)); // direct again
        Await.until("direct answer", WAIT, () -> count("answered") == 1);
        assertThat(secondary.answeredSessions()).last().isEqualTo("call-6");
    }

    @Test
    void aPartlyReplayedSegmentResumesWhereItStopped() {
        primary.silent = true;
        RadiusAccountingClient client = client(settings(primary));
        for (int i = 0; i < 5; i++) {
            client.send(record(i));
        }
        Await.until("spooled", WAIT, () -> client.spoolDepth() == 5);
        primary.answersLeft.set(2);
        primary.silent = false;
        Await.until("two replayed", WAIT, () -> count("replayed") == 2);
        Await.until("replay gave up", WAIT, () -> primary.received.size() >= primary.answered.size() + 2);
        // replay sends a window at once and keeps the answered prefix once the window is over
        Await.until("answered prefix kept", WAIT, () -> client.spoolDepth() == 3);
        assertThat(spoolDir.toFile().list()).hasSize(1); // not deleted: not every record answered

        primary.answersLeft.set(-1);
        Await.until("rest replayed", WAIT, () -> count("replayed") == 5);
        assertThat(primary.answeredSessions()).isEqualTo(sessions(0, 5));
        Await.until("segment deleted", WAIT, () -> spoolDir.toFile().list().length == 0);
    }

    @Test
    void theSpoolSurvivesARestartAndIsReplayedAtStart() throws Exception {
        primary.silent = true;
        RadiusAccountingClient first = new RadiusAccountingClient(settings(primary), registry, clock, 1000,
                Duration.ofMillis(200));
        for (int i = 0; i < 3; i++) {
            first.send(record(i));
        }
        Await.until("spooled", WAIT, () -> first.spoolDepth() == 3);
        first.close();

        primary.silent = false;
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        RadiusAccountingClient restarted = track(new RadiusAccountingClient(settings(primary), second, clock, 1000,
                Duration.ofMillis(200)));
        restarted.send(record(3)); // waits behind the spool
        Await.until("replayed at start", WAIT, () -> primary.answered.size() == 4);
        assertThat(primary.answeredSessions()).isEqualTo(sessions(0, 4));
        // the server answers before the client has read the answer and counted it
        Await.until("counted as replayed", WAIT,
                () -> second.get("tollgate.proxy.acct").tag("result", "replayed").counter().count() == 4);
    }

    @Test
    void closeSpoolsWhatIsStillInFlightOrQueued() throws Exception {
        primary.silent = true;
        RadiusAccountingClient client = new RadiusAccountingClient(
                settings(primary).withRetries(Duration.ofSeconds(5), 3), registry, clock, 1000, Duration.ofMillis(200));
        for (int i = 0; i < 4; i++) {
            client.send(record(i));
        }
        Await.until("in flight", WAIT, () -> primary.received.size() == 4);
        client.close();
        assertThat(client.spoolDepth()).isEqualTo(4);
        AccountingSpool spool = new AccountingSpool(spoolDir, 1000);
        List<AccountingRecord> kept = spool.oldest().records();
        assertThat(kept).extracting(r -> r.get("Acct-Session-Id")).isEqualTo(sessions(0, 4));
    }

    @Test
    void aFullQueueSpoolsInsteadOfDropping() {
        primary.answerDelayMillis = 20;
        RadiusAccountingClient client = client(settings(primary).withLimits(1, 1));
        for (int i = 0; i < 30; i++) {
            client.send(record(i));
        }
        Await.until("all delivered", WAIT, () -> count("answered") + count("replayed") == 30);
        assertThat(count("spooled")).isPositive();
        assertThat(primary.answeredSessions()).containsExactlyInAnyOrderElementsOf(sessions(0, 30));
        Await.until("spool emptied", WAIT, () -> client.spoolDepth() == 0);
    }
}
