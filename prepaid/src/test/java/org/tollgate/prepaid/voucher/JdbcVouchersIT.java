package org.tollgate.prepaid.voucher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tollgate.api.Money;
import org.tollgate.prepaid.ledger.EntryKind;
import org.tollgate.prepaid.ledger.LedgerEntry;
import org.tollgate.prepaid.support.PrepaidDatabase;

/** Vouchers: made with codes only the printer's file holds, redeemed once, refused with the reason. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcVouchersIT {

    private static final Instant NOW = Instant.parse("2026-11-16T12:00:00Z");
    private static final Instant NEXT_YEAR = Instant.parse("2027-12-31T23:59:59Z");

    private PrepaidDatabase db;
    private JdbcVouchers vouchers;

    @BeforeAll
    void start() {
        db = new PrepaidDatabase();
        db.plan("eur", "EUR", 2, "49,Germany,*,0,0.60,1,1,0,0,,\n");
        db.plan("usd", "USD", 2, "1,USA,*,0,0.05,1,1,0,0,,\n");
        vouchers = new JdbcVouchers(db.dataSource());
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
    void aBatchIsExportedForThePrinterAndOnlyHashesAreStored() throws Exception {
        VoucherBatch batch = vouchers.create(50, Money.of("10.00", "EUR"), NEXT_YEAR, NOW, "test");
        StringWriter out = new StringWriter();
        VoucherCsv.write(batch, out);
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(out.toString())).getRecords();
        assertThat(rows).hasSize(50);
        CSVRecord first = rows.get(0);
        assertThat(first.get("serial")).isEqualTo("V" + batch.id() + "-000001");
        assertThat(first.get("code")).matches("[0-9]{4} [0-9]{4} [0-9]{4} [0-9]{4}");
        assertThat(first.get("value")).isEqualTo("10.00");
        assertThat(first.get("currency")).isEqualTo("EUR");
        assertThat(first.get("expires")).isEqualTo("2027-12-31T23:59:59Z");
        assertThat(rows.stream().map(r -> r.get("code")).distinct()).hasSize(50);
        // no code in clear anywhere in the database's voucher tables
        String digits = first.get("code").replace(" ", "");
        assertThat(db.jdbc().queryForObject("SELECT count(*) FROM voucher v JOIN voucher_batch b ON b.id = v.batch_id "
                + "WHERE position(? in v::text || b::text || encode(v.code_hash, 'escape')) > 0", Integer.class, digits)).isZero();
        assertThat(vouchers.batches()).anySatisfy(b -> {
            assertThat(b.id()).isEqualTo(batch.id());
            assertThat(b.count()).isEqualTo(50);
            assertThat(b.redeemed()).isZero();
        });
    }

    @Test
    void aVoucherCreditsItsValueOnceAndTheLedgerNamesIt() {
        db.prepaid("alice", "eur", "EUR", "1.00", "0");
        VoucherBatch batch = vouchers.create(2, Money.of("5.00", "EUR"), NEXT_YEAR, NOW, "test");
        VoucherBatch.Issued v = batch.vouchers().get(0);
        JdbcVouchers.Redemption r = vouchers.redeem(VoucherCode.format(v.code()), "alice", NOW);
        assertThat(r.serial()).isEqualTo(v.serial());
        assertThat(r.entry().kind()).isEqualTo(EntryKind.VOUCHER);
        assertThat(r.entry().reference()).isEqualTo(v.serial());
        assertThat(db.balance("alice")).isEqualByComparingTo("6.00");
        assertThatThrownBy(() -> vouchers.redeem(v.code(), "alice", NOW)).isInstanceOf(VoucherRefused.class)
                .hasMessageContaining("already used").extracting(e -> ((VoucherRefused) e).reason())
                .isEqualTo(VoucherRefused.Reason.USED);
        assertThat(db.balance("alice")).isEqualByComparingTo("6.00");
        assertThat(db.ledger.entries("alice", null)).extracting(LedgerEntry::reference).containsExactly("initial", v.serial());
        assertThat(vouchers.vouchers(batch.id())).first().satisfies(s -> assertThat(s.account()).isEqualTo("alice"));
    }

    @Test
    void aCodeRedeemedFromTwoThreadsAtOnceCreditsOnce() throws Exception {
        db.prepaid("bob", "eur", "EUR", "0", "0");
        db.prepaid("bea", "eur", "EUR", "0", "0");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String code = vouchers.create(1, Money.of("2.00", "EUR"), NEXT_YEAR, NOW, "test").vouchers().get(0).code();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> tries = new ArrayList<>();
                for (String account : List.of("bob", round % 2 == 0 ? "bob" : "bea")) {
                    tries.add(pool.submit(() -> {
                        go.await();
                        try {
                            vouchers.redeem(code, account, NOW);
                            return true;
                        } catch (VoucherRefused e) {
                            assertThat(e.reason()).isEqualTo(VoucherRefused.Reason.USED);
                            return false;
                        }
                    }));
                }
                go.countDown();
                int credited = 0;
                for (Future<Boolean> f : tries) {
                    credited += f.get() ? 1 : 0;
                }
                assertThat(credited).as("round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(db.balance("bob").add(db.balance("bea"))).isEqualByComparingTo("40.00");
    }

    @Test
    void unknownUsedExpiredAndWrongCurrencyCodesAreRefusedAndChangeNothing() {
        db.prepaid("carol", "eur", "EUR", "1.00", "0");
        db.prepaid("sam", "usd", "USD", "1.00", "0");
        db.plans.addAccount("postpaid-carol", "eur", ZoneId.of("UTC"));
        VoucherBatch eur = vouchers.create(3, Money.of("5.00", "EUR"), NOW.plus(Duration.ofDays(1)), NOW, "test");
        assertThatThrownBy(() -> vouchers.redeem("4111 1111 1111 1111", "carol", NOW))
                .isInstanceOf(VoucherRefused.class).hasMessage("unknown voucher code");
        assertThatThrownBy(() -> vouchers.redeem("4111 1111 1111 1112", "carol", NOW)).hasMessageContaining("check digit");
        String code = eur.vouchers().get(0).code();
        assertThatThrownBy(() -> vouchers.redeem(code, "carol", NOW.plus(Duration.ofDays(2))))
                .hasMessageContaining("expired on");
        assertThatThrownBy(() -> vouchers.redeem(code, "sam", NOW))
                .hasMessageContaining("is worth EUR, account sam is in USD");
        assertThatThrownBy(() -> vouchers.redeem(code, "postpaid-carol", NOW)).hasMessageContaining("is postpaid");
        assertThatThrownBy(() -> vouchers.redeem(code, "nobody", NOW)).hasMessageContaining("no account named nobody");
        assertThat(db.balance("carol")).isEqualByComparingTo("1.00");
        assertThat(db.balance("sam")).isEqualByComparingTo("1.00");
        assertThat(vouchers.vouchers(eur.id())).allSatisfy(v -> assertThat(v.redeemedAt()).isNull());
        // still good for the right account
        vouchers.redeem(code, "carol", NOW);
        assertThat(db.balance("carol")).isEqualByComparingTo("6.00");
        assertThatThrownBy(() -> vouchers.create(0, Money.of("5", "EUR"), NEXT_YEAR, NOW, "t")).hasMessageContaining("--count");
        assertThatThrownBy(() -> vouchers.create(1, Money.of("0", "EUR"), NEXT_YEAR, NOW, "t")).hasMessageContaining("--value");
        assertThatThrownBy(() -> vouchers.create(1, Money.of("5", "EUR"), NOW, NOW, "t")).hasMessageContaining("--expires");
    }
}
