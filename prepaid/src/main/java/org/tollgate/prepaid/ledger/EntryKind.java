package org.tollgate.prepaid.ledger;

/** What moved money on a prepaid account. Credits are positive, a call's debit negative (or zero). */
public enum EntryKind {
    /** money paid in by the operator ({@code account topup}) */
    TOPUP,
    /** a voucher redeemed; the entry's reference is its serial */
    VOUCHER,
    /** a call's price; the reference is its call id */
    CALL,
    /** money given back (a disputed call) */
    REFUND,
    /** a correction either way */
    ADJUSTMENT
}
