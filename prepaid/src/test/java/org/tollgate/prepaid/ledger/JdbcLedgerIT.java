package org.tollgate.prepaid.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.dao.DataAccessException;
import org.tollgate.api.Money;
import org.tollgate.prepaid.support.PrepaidDatabase;

/** The ledger: top-ups once per reference, refusals that change nothing, and rows nobody can change. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcLedgerIT {

    private PrepaidDatabase db;

    @BeforeAll
    void start() {
        db = new PrepaidDatabase();
        db.plan("eur", "EUR", 2, "49,Germany,*,0,0.60,1,1,0,0,,\n");
    }

    @AfterEach
    void consistent() {
        db.assertConsistent();
    }

    @AfterAll
    void stop() {
        db.close();
    }

    @Test
    void aTopUpIsCreditedOncePerReference() {
        db.prepaid("alice", "eur", "EUR", "0", "0");
        JdbcLedger.Posted first = db.ledger.post("alice", EntryKind.TOPUP, Money.of("10.00", "EUR"), "receipt-1", null);
        JdbcLedger.Posted again = db.ledger.post("alice", EntryKind.TOPUP, Money.of("10.00", "EUR"), "receipt-1", null);
        assertThat(first.already()).isFalse();
        assertThat(again.already()).isTrue();
        assertThat(again.entry().id()).isEqualTo(first.entry().id());
        assertThat(db.balance("alice")).isEqualByComparingTo("10.00");
        assertThat(first.entry().balanceAfter()).isEqualByComparingTo("10.00");
        assertThatThrownBy(() -> db.ledger.post("alice", EntryKind.TOPUP, Money.of("20.00", "EUR"), "receipt-1", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already used");
        assertThat(db.balance("alice")).isEqualByComparingTo("10.00");
        db.ledger.post("alice", EntryKind.ADJUSTMENT, Money.of("-1.50", "EUR"), "fix-1", "goodwill reversed");
        db.ledger.post("alice", EntryKind.REFUND, Money.of("0.25", "EUR"), "ticket-9", "dropped call");
        assertThat(db.ledger.entries("alice", null)).extracting(LedgerEntry::kind)
                .containsExactly(EntryKind.TOPUP, EntryKind.ADJUSTMENT, EntryKind.REFUND);
        assertThat(db.balance("alice")).isEqualByComparingTo("8.75");
    }

    @Test
    void theSameTopUpSentTwiceAtOnceIsCreditedOnce() throws Exception {
        db.prepaid("bob", "eur", "EUR", "0", "0");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<JdbcLedger.Posted>> tries = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tries.add(pool.submit(() -> db.ledger.post("bob", EntryKind.TOPUP, Money.of("5", "EUR"), "wire-77", null)));
            }
            int credited = 0;
            for (Future<JdbcLedger.Posted> f : tries) {
                credited += f.get().already() ? 0 : 1;
            }
            assertThat(credited).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(db.balance("bob")).isEqualByComparingTo("5");
    }

    @Test
    void badTopUpsAreRefusedAndChangeNothing() {
        db.prepaid("carol", "eur", "EUR", "1.00", "0");
        db.plans.addAccount("postpaid-carol", "eur", ZoneId.of("UTC"));
        assertThatThrownBy(() -> db.ledger.post("carol", EntryKind.TOPUP, Money.of("5", "USD"), "r1", null))
                .hasMessageContaining("is in EUR, not USD");
        assertThatThrownBy(() -> db.ledger.post("carol", EntryKind.TOPUP, Money.of("-5", "EUR"), "r2", null))
                .hasMessageContaining("must be positive");
        assertThatThrownBy(() -> db.ledger.post("carol", EntryKind.TOPUP, Money.of("5", "EUR"), " ", null))
                .hasMessageContaining("needs a reference");
        assertThatThrownBy(() -> db.ledger.post("nobody", EntryKind.TOPUP, Money.of("5", "EUR"), "r3", null))
                .hasMessageContaining("no account named nobody");
        assertThatThrownBy(() -> db.ledger.post("postpaid-carol", EntryKind.TOPUP, Money.of("5", "EUR"), "r4", null))
                .hasMessageContaining("is postpaid");
        assertThat(db.balance("carol")).isEqualByComparingTo("1.00");
        assertThat(db.ledger.entries("carol", null)).hasSize(1);
    }

    @Test
    void theLedgerCannotBeChangedNorEmptied() {
        db.prepaid("dave", "eur", "EUR", "3.00", "0");
        assertThatThrownBy(() -> db.jdbc().update("UPDATE prepaid_ledger SET amount = 300 WHERE reference = 'initial'"))
                .isInstanceOf(DataAccessException.class).hasMessageContaining("append-only");
        assertThatThrownBy(() -> db.jdbc().update("DELETE FROM prepaid_ledger"))
                .isInstanceOf(DataAccessException.class).hasMessageContaining("append-only");
        assertThatThrownBy(() -> db.jdbc().execute("TRUNCATE prepaid_ledger CASCADE"))
                .isInstanceOf(DataAccessException.class).hasMessageContaining("append-only");
        assertThatThrownBy(() -> db.jdbc().update("INSERT INTO prepaid_ledger (account_id, kind, amount, currency, "
                + "balance_after, idempotency_key, reference) SELECT account_id, 'CALL', 1, 'EUR', 0, 'x', 'x' "
                + "FROM prepaid_account LIMIT 1")).isInstanceOf(DataAccessException.class); // a call debits, never credits
        // nor can its account go from under it
        assertThatThrownBy(() -> db.jdbc().update("DELETE FROM prepaid_account WHERE account_id = "
                + "(SELECT id FROM account WHERE name = 'dave')")).isInstanceOf(DataAccessException.class)
                .hasMessageContaining("never deleted");
        assertThat(db.balance("dave")).isEqualTo(db.jdbc().queryForObject("SELECT sum(amount) FROM prepaid_ledger l "
                + "JOIN account a ON a.id = l.account_id WHERE a.name = 'dave'", BigDecimal.class));
    }
}
