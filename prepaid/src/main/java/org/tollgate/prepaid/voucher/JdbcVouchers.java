package org.tollgate.prepaid.voucher;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.tollgate.api.Money;
import org.tollgate.prepaid.account.PrepaidAccount;
import org.tollgate.prepaid.account.PrepaidAccounts;
import org.tollgate.prepaid.ledger.EntryKind;
import org.tollgate.prepaid.ledger.JdbcLedger;
import org.tollgate.prepaid.ledger.LedgerEntry;

/**
 * Vouchers in PostgreSQL. A batch is made in one transaction with codes from {@link SecureRandom};
 * only an HMAC-SHA256 of each code is stored, under a key made once per installation. A code is
 * redeemed once: its row is locked, then the account's (the order every path takes), so two
 * redemptions of one code — concurrent or not, for one account or two — credit once; the ledger
 * entry's key {@code voucher/<serial>} is a second guard.
 */
public class JdbcVouchers {

    /** Most vouchers in one batch. */
    public static final int MAX_BATCH = 100_000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final SecureRandom random = new SecureRandom();
    private volatile byte[] key;

    public JdbcVouchers(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /** Makes {@code count} vouchers worth {@code value} until {@code expiresAt}; refused if any of it makes no sense. */
    public VoucherBatch create(int count, Money value, Instant expiresAt, Instant now, String createdBy) {
        if (count < 1 || count > MAX_BATCH) {
            throw new IllegalArgumentException("--count must be 1.." + MAX_BATCH + ", not " + count);
        }
        if (value.signum() <= 0) {
            throw new IllegalArgumentException("--value must be positive, not " + value.amount().toPlainString());
        }
        if (!expiresAt.isAfter(now)) {
            throw new IllegalArgumentException("--expires " + expiresAt + " is not in the future");
        }
        byte[] k = key();
        return tx.execute(st -> {
            long batch = jdbc.queryForObject("INSERT INTO voucher_batch (value, currency, expires_at, count, created_by) "
                    + "VALUES (?, ?, ?, ?, ?) RETURNING id", Long.class, value.amount(), value.currency().getCurrencyCode(),
                    Timestamp.from(expiresAt), count, createdBy);
            List<VoucherBatch.Issued> issued = new ArrayList<>(count);
            int next = 1;
            while (issued.size() < count) {
                Map<String, String> codes = new LinkedHashMap<>(); // serial → code
                while (issued.size() + codes.size() < count) {
                    codes.put(serial(batch, next++), VoucherCode.generate(random));
                }
                // a code that happens to exist already (1 in 10^15 per pair) is drawn again
                List<String> stored = jdbc.queryForList("INSERT INTO voucher (serial, batch_id, code_hash) "
                        + "SELECT s, ?, decode(h, 'hex') FROM unnest(?::text[], ?::text[]) AS u(s, h) "
                        + "ON CONFLICT (code_hash) DO NOTHING RETURNING serial", String.class, batch,
                        codes.keySet().toArray(String[]::new),
                        codes.values().stream().map(c -> HexFormat.of().formatHex(hash(k, c))).toArray(String[]::new));
                for (String s : stored) {
                    issued.add(new VoucherBatch.Issued(s, codes.get(s)));
                }
            }
            return new VoucherBatch(batch, value.amount(), value.currency().getCurrencyCode(), expiresAt, issued);
        });
    }

    /** What redeeming a voucher did. */
    public record Redemption(String serial, Money value, LedgerEntry entry) { }

    /**
     * Credits the voucher's value to a prepaid account, once. A {@link VoucherRefused} (changing
     * nothing) for a code that is not one, unknown, used, expired, in another currency than the
     * account's, or an account that is not prepaid.
     */
    public Redemption redeem(String typedCode, String account, Instant now) {
        String code = VoucherCode.parse(typedCode);
        byte[] hash = hash(key(), code);
        return tx.execute(st -> {
            List<Map<String, Object>> found = jdbc.queryForList("""
                    SELECT v.serial, v.redeemed_at, b.value, b.currency, b.expires_at, b.id AS batch
                      FROM voucher v JOIN voucher_batch b ON b.id = v.batch_id
                     WHERE v.code_hash = ? FOR UPDATE OF v""", hash);
            if (found.isEmpty()) {
                throw new VoucherRefused(VoucherRefused.Reason.UNKNOWN, "unknown voucher code");
            }
            Map<String, Object> v = found.get(0);
            String serial = (String) v.get("serial");
            if (v.get("redeemed_at") != null) {
                throw new VoucherRefused(VoucherRefused.Reason.USED, "voucher " + serial + " was already used on "
                        + ((Timestamp) v.get("redeemed_at")).toInstant());
            }
            Instant expires = ((Timestamp) v.get("expires_at")).toInstant();
            if (!expires.isAfter(now)) {
                throw new VoucherRefused(VoucherRefused.Reason.EXPIRED, "voucher " + serial + " expired on " + expires);
            }
            PrepaidAccount a;
            try {
                a = PrepaidAccounts.lock(jdbc, account);
            } catch (IllegalArgumentException e) {
                throw new VoucherRefused(VoucherRefused.Reason.NOT_PREPAID, e.getMessage() + ": vouchers top up prepaid accounts");
            }
            String currency = ((String) v.get("currency")).trim();
            if (!currency.equals(a.currency())) {
                throw new VoucherRefused(VoucherRefused.Reason.WRONG_CURRENCY, "voucher " + serial + " is worth "
                        + currency + ", account " + account + " is in " + a.currency());
            }
            BigDecimal value = (BigDecimal) v.get("value");
            JdbcLedger.Posted posted = JdbcLedger.append(jdbc, a, EntryKind.VOUCHER, value, "voucher/" + serial, serial,
                    "voucher batch " + v.get("batch"));
            jdbc.update("UPDATE voucher SET redeemed_at = now(), account_id = ? WHERE serial = ?", a.id(), serial);
            return new Redemption(serial, new Money(value, java.util.Currency.getInstance(currency)), posted.entry());
        });
    }

    /** A batch as {@code voucher list} shows it. */
    public record BatchSummary(long id, BigDecimal value, String currency, Instant expiresAt, int count, int redeemed,
                               Instant createdAt, String createdBy) { }

    public List<BatchSummary> batches() {
        return jdbc.query("""
                SELECT b.id, b.value, b.currency, b.expires_at, b.count, b.created_at, b.created_by,
                       (SELECT count(*) FROM voucher v WHERE v.batch_id = b.id AND v.redeemed_at IS NOT NULL) AS redeemed
                  FROM voucher_batch b ORDER BY b.id""", (rs, i) -> new BatchSummary(rs.getLong("id"),
                rs.getBigDecimal("value"), rs.getString("currency"), rs.getTimestamp("expires_at").toInstant(),
                rs.getInt("count"), rs.getInt("redeemed"), rs.getTimestamp("created_at").toInstant(),
                rs.getString("created_by")));
    }

    /** One voucher of a batch: its serial, and when and by which account it was redeemed (null: not yet). */
    public record VoucherState(String serial, Instant redeemedAt, String account) { }

    public List<VoucherState> vouchers(long batch) {
        return jdbc.query("SELECT v.serial, v.redeemed_at, a.name FROM voucher v LEFT JOIN account a ON a.id = v.account_id "
                + "WHERE v.batch_id = ? ORDER BY v.serial", (rs, i) -> new VoucherState(rs.getString(1),
                rs.getTimestamp(2) == null ? null : rs.getTimestamp(2).toInstant(), rs.getString(3)), batch);
    }

    static String serial(long batch, int n) {
        return String.format(Locale.ROOT, "V%d-%06d", batch, n);
    }

    private static byte[] hash(byte[] key, String code) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(code.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The installation's voucher key: made at random the first time, the same for every instance after. */
    private byte[] key() {
        byte[] k = key;
        if (k == null) {
            byte[] fresh = new byte[32];
            random.nextBytes(fresh);
            jdbc.update("INSERT INTO voucher_key (id, key) VALUES (1, ?) ON CONFLICT (id) DO NOTHING", (Object) fresh);
            k = jdbc.queryForObject("SELECT key FROM voucher_key WHERE id = 1", byte[].class);
            key = k;
        }
        return k;
    }
}
