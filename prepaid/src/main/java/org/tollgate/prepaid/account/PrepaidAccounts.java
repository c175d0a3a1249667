package org.tollgate.prepaid.account;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Prepaid accounts in PostgreSQL: an {@code account} of kind PREPAID with its {@code
 * prepaid_account} row, made in one transaction; their balances; and the check that every
 * balance is the sum of its ledger and every reservation total the sum of its open calls.
 */
public class PrepaidAccounts {

    static final String SELECT = """
            SELECT p.account_id, a.name, rp.name AS plan, p.currency, p.balance, p.credit_limit, p.reserved, p.low_balance
              FROM prepaid_account p JOIN account a ON a.id = p.account_id JOIN rate_plan rp ON rp.id = a.plan_id""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final TransactionTemplate snapshot;

    public PrepaidAccounts(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        DataSourceTransactionManager tm = new DataSourceTransactionManager(dataSource);
        this.tx = new TransactionTemplate(tm);
        this.snapshot = new TransactionTemplate(tm);
        // balances, ledgers and reservations as of one moment, while calls go on
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
    }

    /**
     * Adds a prepaid account on {@code plan}, paying in {@code currency} (which must be the plan's),
     * with a balance of zero. Refuses, changing nothing, an existing name, an unknown plan, another
     * currency than the plan's, a negative credit limit or threshold.
     */
    public PrepaidAccount create(String name, String plan, ZoneId zone, String currency, BigDecimal creditLimit,
                                 BigDecimal lowBalance) {
        if (name == null || name.isBlank() || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an account needs a name");
        }
        String cur = currency == null ? "" : currency.trim().toUpperCase(Locale.ROOT);
        if (!cur.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("--currency: '" + currency + "' is not an ISO 4217 code like EUR");
        }
        if (creditLimit.signum() < 0) {
            throw new IllegalArgumentException("--credit-limit cannot be negative");
        }
        if (lowBalance.signum() < 0) {
            throw new IllegalArgumentException("--low-balance cannot be negative");
        }
        return tx.execute(st -> {
            List<Object[]> plans = jdbc.query("SELECT id, currency FROM rate_plan WHERE name = ?",
                    (rs, i) -> new Object[] {rs.getLong(1), rs.getString(2)}, plan);
            if (plans.isEmpty()) {
                throw new IllegalArgumentException("no rate plan named " + plan);
            }
            if (!plans.get(0)[1].equals(cur)) {
                throw new IllegalArgumentException("plan " + plan + " is in " + plans.get(0)[1]
                        + ": a prepaid account on it pays in " + plans.get(0)[1] + ", not " + cur);
            }
            if (!jdbc.queryForList("SELECT 1 FROM account WHERE name = ?", Integer.class, name).isEmpty()) {
                throw new IllegalArgumentException("account " + name + " already exists");
            }
            long id = jdbc.queryForObject("INSERT INTO account (name, plan_id, time_zone, kind) "
                    + "VALUES (?, ?, ?, 'PREPAID') RETURNING id", Long.class, name, plans.get(0)[0], zone.getId());
            jdbc.update("INSERT INTO prepaid_account (account_id, currency, credit_limit, low_balance) VALUES (?, ?, ?, ?)",
                    id, cur, creditLimit, lowBalance);
            return new PrepaidAccount(id, name, plan, cur, BigDecimal.ZERO, creditLimit, BigDecimal.ZERO, lowBalance);
        });
    }

    public Optional<PrepaidAccount> find(String name) {
        return jdbc.query(SELECT + " WHERE a.name = ?", PrepaidAccounts::row, name).stream().findFirst();
    }

    public List<PrepaidAccount> list() {
        return jdbc.query(SELECT + " ORDER BY a.name", PrepaidAccounts::row);
    }

    /**
     * Locks a prepaid account's row until the caller's transaction ends (the same lock the engine
     * takes for calls) and reads it. Refuses an unknown or postpaid account.
     */
    public static PrepaidAccount lock(JdbcTemplate jdbc, String name) {
        List<PrepaidAccount> found = jdbc.query(SELECT + " WHERE a.name = ? FOR UPDATE OF p", PrepaidAccounts::row, name);
        if (found.isEmpty()) {
            boolean exists = !jdbc.queryForList("SELECT 1 FROM account WHERE name = ?", Integer.class, name).isEmpty();
            throw new IllegalArgumentException(exists ? "account " + name + " is postpaid" : "no account named " + name);
        }
        return found.get(0);
    }

    /** What {@code account check} found: how many accounts, and every discrepancy in words. */
    public record Check(int accounts, int openReservations, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * Balances = ledgers, reservation totals = open reservations, and no open reservation past its
     * expiry at {@code now} (the engine releases those), all in one snapshot.
     */
    public Check check(Instant now) {
        return snapshot.execute(st -> {
            List<String> problems = new ArrayList<>();
            jdbc.query("""
                    SELECT a.name, p.balance, coalesce(l.total, 0) AS ledger
                      FROM prepaid_account p JOIN account a ON a.id = p.account_id
                      LEFT JOIN (SELECT account_id, sum(amount) AS total FROM prepaid_ledger GROUP BY account_id) l
                             ON l.account_id = p.account_id
                     WHERE p.balance <> coalesce(l.total, 0) ORDER BY a.name""", rs -> {
                problems.add("account " + rs.getString(1) + ": balance " + rs.getBigDecimal(2).toPlainString()
                        + " but its ledger sums to " + rs.getBigDecimal(3).toPlainString());
            });
            jdbc.query("""
                    SELECT a.name, p.reserved, coalesce(r.held, 0) AS held
                      FROM prepaid_account p JOIN account a ON a.id = p.account_id
                      LEFT JOIN (SELECT account_id, sum(held) AS held FROM prepaid_reservation WHERE state = 'OPEN'
                                  GROUP BY account_id) r ON r.account_id = p.account_id
                     WHERE p.reserved <> coalesce(r.held, 0) ORDER BY a.name""", rs -> {
                problems.add("account " + rs.getString(1) + ": " + rs.getBigDecimal(2).toPlainString()
                        + " reserved but its open calls hold " + rs.getBigDecimal(3).toPlainString());
            });
            jdbc.query("""
                    SELECT a.name, r.call_id, r.expires_at FROM prepaid_reservation r JOIN account a ON a.id = r.account_id
                     WHERE r.state = 'OPEN' AND r.expires_at < ? ORDER BY r.expires_at LIMIT 20""", rs -> {
                problems.add("stale reservation: call " + rs.getString(2) + " of " + rs.getString(1) + " expired at "
                        + rs.getTimestamp(3).toInstant() + " and is still open");
            }, Timestamp.from(now));
            int accounts = jdbc.queryForObject("SELECT count(*) FROM prepaid_account", Integer.class);
            int open = jdbc.queryForObject("SELECT count(*) FROM prepaid_reservation WHERE state = 'OPEN'", Integer.class);
            return new Check(accounts, open, problems);
        });
    }

    static PrepaidAccount row(ResultSet rs, int i) throws SQLException {
        return new PrepaidAccount(rs.getLong("account_id"), rs.getString("name"), rs.getString("plan"),
                rs.getString("currency"), rs.getBigDecimal("balance"), rs.getBigDecimal("credit_limit"),
                rs.getBigDecimal("reserved"), rs.getBigDecimal("low_balance"));
    }
}
