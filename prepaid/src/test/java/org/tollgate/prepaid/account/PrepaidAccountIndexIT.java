package org.tollgate.prepaid.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tollgate.prepaid.support.PrepaidDatabase;

/** The prepaid accounts' names in memory: loaded whole, told of changes at once, reloaded as a safety net. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrepaidAccountIndexIT {

    private PrepaidDatabase db;

    @BeforeAll
    void start() {
        db = new PrepaidDatabase();
        db.plan("eur", "EUR", 4, "49,Germany,*,0,0.60,1,1,0,0,,\n");
    }

    @AfterAll
    void stop() {
        db.close();
    }

    @Test
    void knowsThePrepaidAccountsAndNothingElse() {
        db.prepaid("pre-1", "eur", "EUR", "1.00", "0");
        db.jdbc().update("INSERT INTO account (name, plan_id) SELECT 'post-1', id FROM rate_plan WHERE name = 'eur'");
        try (PrepaidAccountIndex index = new PrepaidAccountIndex(db.dataSource(), Duration.ofHours(1))) {
            assertThat(index.isPrepaid("pre-1")).isTrue();
            assertThat(index.isPrepaid("post-1")).isFalse();
            assertThat(index.isPrepaid("nobody")).isFalse();
            assertThat(index.isPrepaid(null)).isFalse();

            // told of an account made or changed after it loaded: at once
            db.accounts.create("pre-2", "eur", ZoneId.of("UTC"), "EUR", BigDecimal.ZERO, BigDecimal.ZERO);
            assertThat(index.isPrepaid("pre-2")).as("not told yet").isFalse();
            index.changed("pre-2");
            assertThat(index.isPrepaid("pre-2")).isTrue();
            db.jdbc().update("UPDATE account SET kind = 'POSTPAID' WHERE name = 'pre-2'");
            index.changed("pre-2");
            assertThat(index.isPrepaid("pre-2")).isFalse();
            index.changed("nobody");
            assertThat(index.isPrepaid("nobody")).isFalse();
        }
    }

    @Test
    void aMissedNotificationIsCaughtUpByTheReload() {
        try (PrepaidAccountIndex index = new PrepaidAccountIndex(db.dataSource(), Duration.ofMillis(100))) {
            db.prepaid("pre-3", "eur", "EUR", "0", "0");
            await().atMost(Duration.ofSeconds(5)).until(() -> index.isPrepaid("pre-3"));
        }
    }

    @Test
    void aChangeDuringAReloadIsNotUndoneByIt() throws Exception {
        try (PrepaidAccountIndex index = new PrepaidAccountIndex(db.dataSource(), Duration.ofHours(1))) {
            // the reload reads the names while this transaction, which makes an account, is not committed yet
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread reload;
            try (var c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                try (var s = c.createStatement()) {
                    s.execute("INSERT INTO account (name, plan_id, kind) SELECT 'pre-4', id, 'PREPAID' FROM rate_plan WHERE name = 'eur'");
                    s.execute("INSERT INTO prepaid_account (account_id, currency) SELECT id, 'EUR' FROM account WHERE name = 'pre-4'");
                }
                reload = new Thread(() -> {
                    try {
                        index.reload();
                    } catch (Throwable t) {
                        failed.set(t);
                    }
                });
                reload.start();
                c.commit();
            }
            index.changed("pre-4"); // the notification of the commit, while or after the reload ran
            reload.join(5_000);
            assertThat(failed.get()).isNull();
            assertThat(index.isPrepaid("pre-4")).isTrue();
        }
    }
}
