package org.tollgate.prepaid.reservation;

import static org.tollgate.prepaid.reservation.Unnest.Type.BIGINT;
import static org.tollgate.prepaid.reservation.Unnest.Type.BOOL;
import static org.tollgate.prepaid.reservation.Unnest.Type.INT;
import static org.tollgate.prepaid.reservation.Unnest.Type.NUMERIC;
import static org.tollgate.prepaid.reservation.Unnest.Type.TEXT;
import static org.tollgate.prepaid.reservation.Unnest.Type.TIMESTAMPTZ;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tollgate.api.prepaid.CallKey;
import org.tollgate.prepaid.reservation.CallBook.LedgerCall;
import org.tollgate.prepaid.reservation.CallBook.Posting;
import org.tollgate.prepaid.reservation.Reservation.State;
import org.tollgate.prepaid.reservation.Reservation.StoredAnswer;

/**
 * Reads what a batch needs and writes what it changed, on the batch's one connection and
 * transaction, a few set-based statements each way. The accounts' rows are locked first, in id
 * order, so that two writers (or two Tollgate instances) wait for each other instead of
 * deadlocking; everything about a prepaid call is changed only under its account's lock.
 */
final class ReservationStore {

    private static final String LOCK_ACCOUNTS = """
            SELECT p.account_id, a.name, p.currency, p.credit_limit, p.low_balance, p.balance, p.reserved
              FROM prepaid_account p JOIN account a ON a.id = p.account_id
             WHERE a.name = ANY (?) ORDER BY p.account_id FOR UPDATE OF p""";

    private static final String RESERVATION_COLUMNS = """
            account_id, call_id, state, destination, authorized_at, start_at, answered, granted_seconds, used_seconds,
            held, expires_at, expired_at, seq, answer_result, answer_seconds, answer_reserved, answer_available,
            answer_last, answer_reason, debit, balance_after, source""";

    private static final Unnest.Type[] RESERVATION_TYPES = {BIGINT, TEXT, TEXT, TEXT, TIMESTAMPTZ, TIMESTAMPTZ, BOOL,
        BIGINT, BIGINT, NUMERIC, TIMESTAMPTZ, TIMESTAMPTZ, INT, TEXT, BIGINT, NUMERIC, NUMERIC, BOOL, TEXT, NUMERIC,
        NUMERIC, TEXT};

    private static final String UPDATE_RESERVATIONS;

    static {
        StringBuilder set = new StringBuilder("UPDATE prepaid_reservation r SET ");
        for (String col : RESERVATION_COLUMNS.split(",\\s*")) {
            if (!col.equals("account_id") && !col.equals("call_id") && !col.equals("authorized_at")) {
                set.append(col).append(" = u.").append(col).append(", ");
            }
        }
        UPDATE_RESERVATIONS = set.append("updated_at = now() FROM ").toString();
    }

    // every statement of a batch finds its rows by key: with the real array lengths the planner may
    // prefer hashing a whole table (100,000 accounts, millions of calls) to a few hundred index lookups
    private static final String KEY_LOOKUPS_ONLY = "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off";

    /** What a batch found under its locks. */
    record Loaded(Map<String, AccountState> accounts, Set<String> postpaid, Map<CallKey, Reservation> reservations,
                  Map<String, LedgerCall> ledgerCalls) { }

    Loaded load(Connection c, List<Operation> ops) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        ops.forEach(op -> names.add(op.call().account()));
        Map<String, AccountState> accounts = new HashMap<>();
        Map<Long, AccountState> byId = new HashMap<>();
        try (java.sql.Statement st = c.createStatement()) {
            st.execute(KEY_LOOKUPS_ONLY);
        }
        try (PreparedStatement ps = c.prepareStatement(LOCK_ACCOUNTS)) {
            ps.setArray(1, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    AccountState a = new AccountState(rs.getLong(1), rs.getString(2), Currency.getInstance(rs.getString(3)),
                            rs.getBigDecimal(4), rs.getBigDecimal(5), rs.getBigDecimal(6), rs.getBigDecimal(7));
                    accounts.put(a.name, a);
                    byId.put(a.id, a);
                }
            }
        }
        Set<String> postpaid = new HashSet<>();
        if (accounts.size() < names.size()) {
            List<String> missing = names.stream().filter(n -> !accounts.containsKey(n)).toList();
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM account WHERE name = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("text", missing.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        postpaid.add(rs.getString(1));
                    }
                }
            }
        }
        Map<CallKey, Reservation> reservations = reservations(c, ops, accounts, byId);
        Map<String, LedgerCall> ledgerCalls = ledgerCalls(c, ops, accounts, reservations);
        return new Loaded(accounts, postpaid, reservations, ledgerCalls);
    }

    private static Map<CallKey, Reservation> reservations(Connection c, List<Operation> ops,
                                                          Map<String, AccountState> accounts,
                                                          Map<Long, AccountState> byId) throws SQLException {
        Map<CallKey, Reservation> found = new HashMap<>();
        Unnest keys = new Unnest(BIGINT, TEXT);
        Set<CallKey> seen = new HashSet<>();
        for (Operation op : ops) {
            AccountState a = accounts.get(op.call().account());
            if (a != null && seen.add(op.call())) {
                keys.add(a.id, op.call().callId());
            }
        }
        if (keys.isEmpty()) {
            return found;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT r." + RESERVATION_COLUMNS.replace(", ", ", r.")
                + " FROM " + keys.call() + " AS k(account_id, call_id) "
                + "JOIN prepaid_reservation r ON r.account_id = k.account_id AND r.call_id = k.call_id")) {
            keys.bind(c, ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Reservation r = reservation(rs);
                    found.put(new CallKey(byId.get(r.accountId).name, r.callId), r);
                }
            }
        }
        return found;
    }

    /** Debits in the ledger for ends whose call has no reservation row (settled long ago, or by hand). */
    private static Map<String, LedgerCall> ledgerCalls(Connection c, List<Operation> ops, Map<String, AccountState> accounts,
                                                       Map<CallKey, Reservation> reservations) throws SQLException {
        Map<String, LedgerCall> found = new HashMap<>();
        List<String> keys = new ArrayList<>();
        for (Operation op : ops) {
            AccountState a = accounts.get(op.call().account());
            if (op instanceof Operation.End && a != null && !reservations.containsKey(op.call())) {
                keys.add(CallBook.callKey(a.id, op.call().callId()));
            }
        }
        if (keys.isEmpty()) {
            return found;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT idempotency_key, amount, balance_after FROM prepaid_ledger "
                + "WHERE idempotency_key = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", keys.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), new LedgerCall(rs.getBigDecimal(2), rs.getBigDecimal(3)));
                }
            }
        }
        return found;
    }

    /** Writes the batch's changes: reservations, ledger entries, account totals. */
    void write(Connection c, CallBook book) throws SQLException {
        Collection<Reservation> changed = book.changedReservations();
        Unnest inserts = new Unnest(RESERVATION_TYPES);
        Unnest updates = new Unnest(RESERVATION_TYPES);
        for (Reservation r : changed) {
            StoredAnswer a = r.answer;
            (r.stored ? updates : inserts).add(r.accountId, r.callId, r.state.name(), r.destination, r.authorizedAt,
                    r.startAt, r.answered, r.grantedSeconds, r.usedSeconds, r.held, r.expiresAt, r.expiredAt, r.seq,
                    a.result(), a.seconds(), a.reserved(), a.available(), a.last(), a.reason(), r.debit, r.balanceAfter,
                    r.source);
        }
        if (!inserts.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO prepaid_reservation (" + RESERVATION_COLUMNS
                    + ", updated_at) SELECT *, now() FROM " + inserts.call())) {
                inserts.bind(c, ps, 1);
                ps.executeUpdate();
            }
        }
        if (!updates.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(UPDATE_RESERVATIONS + updates.call() + " AS u("
                    + RESERVATION_COLUMNS + ") WHERE r.account_id = u.account_id AND r.call_id = u.call_id")) {
                updates.bind(c, ps, 1);
                ps.executeUpdate();
            }
        }
        List<Posting> postings = book.postings();
        if (!postings.isEmpty()) {
            Unnest rows = new Unnest(BIGINT, NUMERIC, TEXT, NUMERIC, TEXT, TEXT, TEXT);
            for (Posting p : postings) {
                rows.add(p.accountId(), p.amount(), p.currency(), p.balanceAfter(), p.key(), p.reference(), p.note());
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO prepaid_ledger (account_id, kind, amount, currency, "
                    + "balance_after, idempotency_key, reference, note) SELECT u.a, 'CALL', u.amount, u.currency, u.after, "
                    + "u.k, u.ref, u.note FROM " + rows.call() + " AS u(a, amount, currency, after, k, ref, note)")) {
                rows.bind(c, ps, 1);
                ps.executeUpdate();
            }
        }
        Collection<AccountState> accounts = book.changedAccounts();
        if (!accounts.isEmpty()) {
            Unnest rows = new Unnest(BIGINT, NUMERIC, NUMERIC);
            accounts.forEach(a -> rows.add(a.id, a.balance, a.reserved));
            try (PreparedStatement ps = c.prepareStatement("UPDATE prepaid_account p SET balance = u.balance, "
                    + "reserved = u.reserved, updated_at = now() FROM " + rows.call() + " AS u(id, balance, reserved) "
                    + "WHERE p.account_id = u.id")) {
                rows.bind(c, ps, 1);
                ps.executeUpdate();
            }
        }
    }

    /** Open reservations past their expiry at {@code now}: the sweeper's candidates, oldest first. */
    List<CallKey> stale(Connection c, Instant now, int limit) throws SQLException {
        List<CallKey> keys = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.name, r.call_id FROM prepaid_reservation r "
                + "JOIN account a ON a.id = r.account_id WHERE r.state = 'OPEN' AND r.expires_at < ? "
                + "ORDER BY r.expires_at LIMIT ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(new CallKey(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return keys;
    }

    private static Reservation reservation(ResultSet rs) throws SQLException {
        Reservation r = new Reservation(rs.getLong("account_id"), rs.getString("call_id"));
        r.stored = true;
        r.state = State.valueOf(rs.getString("state"));
        r.destination = rs.getString("destination");
        r.authorizedAt = instant(rs, "authorized_at");
        r.startAt = instant(rs, "start_at");
        r.answered = rs.getBoolean("answered");
        r.grantedSeconds = rs.getLong("granted_seconds");
        r.usedSeconds = rs.getLong("used_seconds");
        r.held = rs.getBigDecimal("held");
        r.expiresAt = instant(rs, "expires_at");
        r.expiredAt = instant(rs, "expired_at");
        r.seq = rs.getInt("seq");
        r.answer = new StoredAnswer(rs.getString("answer_result"), rs.getLong("answer_seconds"),
                rs.getBigDecimal("answer_reserved"), rs.getBigDecimal("answer_available"), rs.getBoolean("answer_last"),
                rs.getString("answer_reason"));
        r.debit = rs.getBigDecimal("debit");
        r.balanceAfter = rs.getBigDecimal("balance_after");
        r.source = rs.getString("source");
        return r;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
