package org.tollgate.tests.radius;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tollgate.tests.support.FrozenDatabase;
import org.tollgate.tests.support.Radclient;
import org.tollgate.tests.support.TollgateInstance;

/**
 * PostgreSQL hangs under Access-Requests: a user the server has seen keeps being answered from
 * its cache, one it must look up is rejected within the look-up bound ("temporarily
 * unavailable"), a burst of such look-ups does not hold up the others, and once the database
 * answers again so does the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessDuringFreezeIT {

    private static final String SECRET = "testing123";

    private TollgateInstance tollgate;
    private final Radclient radclient = new Radclient();

    @BeforeAll
    void start() {
        // a short cache: the entry seen before the freeze has expired when it is asked for again
        tollgate = new TollgateInstance("tollgate.radius.user-cache-ttl=1s");
        assertThat(tollgate.cli("nas", "add", "--name", "gw", "--address", "127.0.0.1", "--secret", SECRET)).isZero();
        assertThat(tollgate.cli("user", "add", "--name", "alice", "--password", "alice-pw")).isZero();
        assertThat(tollgate.cli("user", "add", "--name", "bob", "--password", "bob-pw")).isZero();
    }

    @AfterAll
    void stop() {
        tollgate.close();
    }

    @Test
    void aHungDatabaseGetsCachedUsersAnsweredAndTheOthersRejectedNotSilence() throws Exception {
        assertThat(auth("alice", "alice-pw").accepted()).as("alice seen before the freeze").isTrue();
        try (FrozenDatabase frozen = tollgate.freezeDatabase()) {
            Thread.sleep(1_500); // past the cache's TTL: alice must be looked up again, and cannot be
            long t0 = System.nanoTime();
            Radclient.Result alice = auth("alice", "alice-pw");
            long aliceMillis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(alice.accepted()).as("the stale entry answers: %s", alice.output()).isTrue();
            assertThat(aliceMillis).as("answered within the look-up bound").isLessThan(2_000);

            // more unknown look-ups at once than there are RADIUS threads
            List<CompletableFuture<Radclient.Result>> unknown = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String name = "nobody" + i;
                unknown.add(CompletableFuture.supplyAsync(() -> auth(name, "x")));
            }
            t0 = System.nanoTime();
            Radclient.Result bob = auth("bob", "bob-pw");
            long bobMillis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(bob.rejected()).as("bob was never cached: %s", bob.output()).isTrue();
            assertThat(bob.output()).contains("temporarily unavailable");
            assertThat(bobMillis).isLessThan(2_000);
            for (CompletableFuture<Radclient.Result> f : unknown) {
                assertThat(f.get().rejected()).as(f.get().output()).isTrue();
            }
        }
        // a probe in the background notices the database is back
        await().atMost(Duration.ofSeconds(5)).until(() -> auth("bob", "bob-pw").accepted());
    }

    private Radclient.Result auth(String user, String password) {
        return radclient.send(tollgate.authPort(), "auth", SECRET, "User-Name = \"" + user + "\", User-Password = \""
                + password + "\", Message-Authenticator = 0x00");
    }
}
