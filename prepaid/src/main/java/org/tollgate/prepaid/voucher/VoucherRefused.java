package org.tollgate.prepaid.voucher;

/** A voucher that cannot be redeemed, and why in words. Nothing was changed. */
public class VoucherRefused extends IllegalArgumentException {

    public enum Reason { NOT_A_CODE, UNKNOWN, USED, EXPIRED, WRONG_CURRENCY, NOT_PREPAID }

    private final Reason reason;

    public VoucherRefused(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
