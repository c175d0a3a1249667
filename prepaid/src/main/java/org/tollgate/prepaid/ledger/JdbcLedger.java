package org.tollgate.prepaid.ledger;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.tollgate.api.Money;
import org.tollgate.prepaid.account.PrepaidAccount;
import org.tollgate.prepaid.account.PrepaidAccounts;

/**
 * The ledger outside calls: top-ups, refunds and adjustments by the operator, each in its own
 * transaction under the account's row lock (the lock calls take too), and reading an account's
 * entries. An entry is idempotent on its reference: the same top-up sent twice is one entry.
 */
public class JdbcLedger {

    private static final String COLUMNS = "l.id, a.name, l.kind, l.amount, l.currency, l.balance_after, "
            + "l.idempotency_key, l.reference, l.note, l.created_at";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public JdbcLedger(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /** An entry written, or the one that was already there for the same reference ({@code already}). */
    public record Posted(LedgerEntry entry, boolean already) { }

    /**
     * Credits (or, for an adjustment, debits) {@code amount} to a prepaid account, once per
     * {@code reference}. Refused, changing nothing: an unknown or postpaid account, another
     * currency than the account's, an amount of the wrong sign, a reference already used for
     * another amount.
     */
    public Posted post(String account, EntryKind kind, Money amount, String reference, String note) {
        if (kind == EntryKind.CALL || kind == EntryKind.VOUCHER) {
            throw new IllegalArgumentException(kind + " entries are written by calls and vouchers");
        }
        if (reference == null || reference.isBlank() || reference.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a " + kind.name().toLowerCase(Locale.ROOT) + " needs a reference");
        }
        if (kind == EntryKind.ADJUSTMENT ? amount.signum() == 0 : amount.signum() <= 0) {
            throw new IllegalArgumentException("the amount of a " + kind.name().toLowerCase(Locale.ROOT) + " must be "
                    + (kind == EntryKind.ADJUSTMENT ? "other than zero" : "positive") + ", not " + amount.amount().toPlainString());
        }
        return tx.execute(st -> {
            PrepaidAccount a = PrepaidAccounts.lock(jdbc, account);
            if (!a.currency().equals(amount.currency().getCurrencyCode())) {
                throw new IllegalArgumentException("account " + account + " is in " + a.currency() + ", not "
                        + amount.currency().getCurrencyCode());
            }
            String key = kind.name().toLowerCase(Locale.ROOT) + "/" + a.id() + "/" + reference;
            return append(jdbc, a, kind, amount.amount(), key, reference, note);
        });
    }

    /**
     * Appends an entry to an account whose row the caller's transaction has locked, and moves its
     * balance; or, when the key is there already, returns that entry (refused if it is for another
     * kind or amount). For the engine's neighbours: vouchers and operator entries.
     */
    public static Posted append(JdbcTemplate jdbc, PrepaidAccount locked, EntryKind kind, BigDecimal amount, String key,
                                String reference, String note) {
        Optional<LedgerEntry> old = byKey(jdbc, key);
        if (old.isPresent()) {
            LedgerEntry e = old.get();
            if (e.kind() != kind || e.amount().compareTo(amount) != 0) {
                throw new IllegalArgumentException("reference " + reference + " was already used for a "
                        + e.kind().name().toLowerCase(Locale.ROOT) + " of " + e.amount().toPlainString() + " " + e.currency()
                        + " on " + e.createdAt());
            }
            return new Posted(e, true);
        }
        BigDecimal after = locked.balance().add(amount);
        jdbc.update("INSERT INTO prepaid_ledger (account_id, kind, amount, currency, balance_after, idempotency_key, "
                + "reference, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", locked.id(), kind.name(), amount, locked.currency(),
                after, key, reference, note);
        jdbc.update("UPDATE prepaid_account SET balance = ?, updated_at = now() WHERE account_id = ?", after, locked.id());
        return new Posted(byKey(jdbc, key).orElseThrow(), false);
    }

    private static Optional<LedgerEntry> byKey(JdbcTemplate jdbc, String key) {
        return jdbc.query("SELECT " + COLUMNS + " FROM prepaid_ledger l JOIN account a ON a.id = l.account_id "
                + "WHERE l.idempotency_key = ?", JdbcLedger::row, key).stream().findFirst();
    }

    /** The account's entries from {@code since} (null: all) in the order they were written (under the account's lock: id order). */
    public List<LedgerEntry> entries(String account, Instant since) {
        if (jdbc.queryForList("SELECT 1 FROM prepaid_account p JOIN account a ON a.id = p.account_id WHERE a.name = ?",
                Integer.class, account).isEmpty()) {
            throw new IllegalArgumentException("no prepaid account named " + account);
        }
        return jdbc.query("SELECT " + COLUMNS + " FROM prepaid_ledger l JOIN account a ON a.id = l.account_id "
                + "WHERE a.name = ? AND l.created_at >= ? ORDER BY l.id", JdbcLedger::row, account,
                Timestamp.from(since == null ? Instant.EPOCH : since));
    }

    static LedgerEntry row(ResultSet rs, int i) throws SQLException {
        return new LedgerEntry(rs.getLong(1), rs.getString(2), EntryKind.valueOf(rs.getString(3)), rs.getBigDecimal(4),
                rs.getString(5), rs.getBigDecimal(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getTimestamp(10).toInstant());
    }
}
