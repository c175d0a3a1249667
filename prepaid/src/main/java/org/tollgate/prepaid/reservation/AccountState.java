package org.tollgate.prepaid.reservation;

import java.math.BigDecimal;
import java.util.Currency;

/** A prepaid account's money as a batch found it under its row lock, changed as the batch applies. */
final class AccountState {

    final long id;
    final String name;
    final Currency currency;
    final BigDecimal creditLimit;
    final BigDecimal lowBalance;
    BigDecimal balance;
    BigDecimal reserved;
    boolean changed;

    AccountState(long id, String name, Currency currency, BigDecimal creditLimit, BigDecimal lowBalance,
                 BigDecimal balance, BigDecimal reserved) {
        this.id = id;
        this.name = name;
        this.currency = currency;
        this.creditLimit = creditLimit;
        this.lowBalance = lowBalance;
        this.balance = balance;
        this.reserved = reserved;
    }

    /** What a call may still take: balance + credit limit − everything held. */
    BigDecimal available() {
        return balance.add(creditLimit).subtract(reserved);
    }

    void hold(BigDecimal delta) {
        if (delta.signum() != 0) {
            reserved = reserved.add(delta);
            changed = true;
        }
    }

    void debit(BigDecimal amount) {
        balance = balance.subtract(amount);
        changed = true;
    }
}
