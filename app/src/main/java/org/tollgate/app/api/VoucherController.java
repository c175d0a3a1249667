package org.tollgate.app.api;

import org.tollgate.app.api.access.Allowed;
import org.tollgate.app.api.access.Caller;
import org.tollgate.app.api.access.Role;
import org.springframework.web.bind.annotation.RequestAttribute;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Locale;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.tollgate.api.Money;
import org.tollgate.prepaid.voucher.JdbcVouchers;
import org.tollgate.prepaid.voucher.VoucherBatch;
import org.tollgate.prepaid.voucher.VoucherCsv;

/**
 * {@code tollgate voucher} on the admin API: {@code POST /api/vouchers} answers the batch as the
 * printer's CSV (the only copy of the codes), {@code POST /api/vouchers/redeem}, {@code GET
 * /api/vouchers[?batch=B]}.
 */
@RestController
@ConditionalOnWebApplication
@RequestMapping("/api/vouchers")
public class VoucherController {

    /** {@code expires}: a date (redeemable to the end of that day, UTC) or an instant. */
    public record NewBatch(int count, BigDecimal value, String currency, String expires) { }

    public record Redeem(String code, String account) {
        // the code is money: never in a log line (Spring prints request bodies at debug)
        @Override
        public String toString() {
            return "Redeem[account=" + account + "]";
        }
    }

    public record Redeemed(String serial, String value, String currency, String account, String balance) { }

    private final JdbcVouchers vouchers;

    public VoucherController(JdbcVouchers vouchers) {
        this.vouchers = vouchers;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> create(@RequestBody NewBatch body) throws IOException {
        if (body == null || body.value() == null || body.currency() == null || body.expires() == null) {
            throw new IllegalArgumentException("give count, value, currency and expires");
        }
        Currency currency;
        try {
            currency = Currency.getInstance(body.currency().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("currency: '" + body.currency() + "' is not an ISO 4217 code like EUR");
        }
        Instant expires = org.tollgate.prepaid.voucher.VoucherExpiry.parse(body.expires());
        VoucherBatch batch = vouchers.create(body.count(), new Money(body.value(), currency), expires, Instant.now(),
                "admin API");
        StringWriter csv = new StringWriter();
        VoucherCsv.write(batch, csv);
        return ResponseEntity.status(HttpStatus.CREATED).contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("vouchers-" + batch.id() + ".csv").build().toString())
                .header("X-Voucher-Batch", Long.toString(batch.id()))
                .body(csv.toString());
    }

    @PostMapping(path = "/redeem", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Allowed(value = Role.FINANCE, accountScoped = true)
    public Redeemed redeem(@RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller, @RequestBody Redeem body) {
        if (body == null || body.account() == null) {
            throw new IllegalArgumentException("give code and account");
        }
        Caller.check(caller, body.account());
        JdbcVouchers.Redemption r = vouchers.redeem(body.code(), body.account(), Instant.now());
        return new Redeemed(r.serial(), r.value().amount().toPlainString(), r.value().currency().getCurrencyCode(),
                body.account(), r.entry().balanceAfter().toPlainString());
    }

    @GetMapping
    @Allowed(Role.FINANCE)
    public ResponseEntity<Object> list(@RequestParam(required = false) Long batch) {
        if (batch == null) {
            return ResponseEntity.ok(vouchers.batches());
        }
        List<JdbcVouchers.VoucherState> list = vouchers.vouchers(batch);
        if (list.isEmpty()) {
            return ApiProblems.notFound("no voucher batch " + batch);
        }
        return ResponseEntity.ok(list);
    }
}
