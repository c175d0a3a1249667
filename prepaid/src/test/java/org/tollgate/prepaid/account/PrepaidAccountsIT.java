package org.tollgate.prepaid.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.dao.DataAccessException;
import org.tollgate.prepaid.support.PrepaidDatabase;

/** Prepaid accounts: in their plan's currency or not at all; and the check that finds a balance off its ledger. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrepaidAccountsIT {

    private PrepaidDatabase db;

    @BeforeAll
    void start() {
        db = new PrepaidDatabase();
        db.plan("eur", "EUR", 2, "49,Germany,*,0,0.60,1,1,0,0,,\n");
        db.plan("usd", "USD", 2, "1,USA,*,0,0.05,1,1,0,0,,\n");
    }

    @AfterAll
    void stop() {
        db.close();
    }

    @Test
    void aPrepaidAccountPaysInItsPlansCurrency() {
        PrepaidAccount a = db.accounts.create("anna", "eur", ZoneId.of("Europe/Berlin"), "eur", new BigDecimal("5"),
                new BigDecimal("2"));
        assertThat(a.currency()).isEqualTo("EUR");
        assertThat(db.accounts.find("anna").orElseThrow().creditLimit()).isEqualByComparingTo("5");
        assertThat(db.jdbc().queryForObject("SELECT kind FROM account WHERE name = 'anna'", String.class)).isEqualTo("PREPAID");
        assertThat(db.rating.account("anna")).isPresent();

        assertThatThrownBy(() -> db.accounts.create("ben", "eur", ZoneId.of("UTC"), "USD", BigDecimal.ZERO, BigDecimal.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plan eur is in EUR").hasMessageContaining("not USD");
        assertThatThrownBy(() -> db.accounts.create("ben", "none", ZoneId.of("UTC"), "EUR", BigDecimal.ZERO, BigDecimal.ZERO))
                .hasMessageContaining("no rate plan named none");
        assertThatThrownBy(() -> db.accounts.create("ben", "eur", ZoneId.of("UTC"), "EUR", new BigDecimal("-1"), BigDecimal.ZERO))
                .hasMessageContaining("--credit-limit cannot be negative");
        assertThatThrownBy(() -> db.accounts.create("anna", "eur", ZoneId.of("UTC"), "EUR", BigDecimal.ZERO, BigDecimal.ZERO))
                .hasMessageContaining("already exists");
        assertThat(db.jdbc().queryForObject("SELECT count(*) FROM account WHERE name = 'ben'", Integer.class)).isZero();
        // the database refuses it too, and a move to a plan in another currency
        assertThatThrownBy(() -> db.jdbc().update("UPDATE prepaid_account SET currency = 'USD' WHERE account_id = ?", a.id()))
                .isInstanceOf(DataAccessException.class).hasMessageContaining("billed in EUR");
        assertThatThrownBy(() -> db.jdbc().update("UPDATE account SET plan_id = (SELECT id FROM rate_plan WHERE name = 'usd') "
                + "WHERE name = 'anna'")).isInstanceOf(DataAccessException.class).hasMessageContaining("another currency");
    }

    @Test
    void theCheckFindsABalanceThatIsNotItsLedgerAndAStaleReservation() {
        db.prepaid("carl", "eur", "EUR", "4.00", "0");
        assertThat(db.accounts.check(Instant.now()).ok()).isTrue();
        db.jdbc().update("UPDATE prepaid_account SET balance = 40 WHERE account_id = (SELECT id FROM account WHERE name = 'carl')");
        PrepaidAccounts.Check check = db.accounts.check(Instant.now());
        assertThat(check.problems()).singleElement().asString().contains("account carl: balance 40 but its ledger sums to 4.00");
        db.jdbc().update("UPDATE prepaid_account SET balance = 4 WHERE account_id = (SELECT id FROM account WHERE name = 'carl')");
        assertThat(db.accounts.check(Instant.now()).ok()).isTrue();
    }
}
