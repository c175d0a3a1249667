package org.tollgate.prepaid.voucher;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A batch of vouchers as made: its number, value, currency, expiry and the codes, which exist in
 * clear only here (for the printer's file) and never in the database.
 */
public record VoucherBatch(long id, BigDecimal value, String currency, Instant expiresAt, List<Issued> vouchers) {

    /** One voucher: its serial (printed, stored) and its code (printed only). */
    public record Issued(String serial, String code) { }
}
