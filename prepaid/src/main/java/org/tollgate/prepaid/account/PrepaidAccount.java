package org.tollgate.prepaid.account;

import java.math.BigDecimal;

/**
 * A prepaid account's money: {@code balance} (the sum of its ledger), the overdraft it may run
 * to ({@code creditLimit}), what open calls hold ({@code reserved}), and below which balance it
 * is low. {@code available} is what a new call may still take.
 */
public record PrepaidAccount(long id, String name, String plan, String currency, BigDecimal balance,
                             BigDecimal creditLimit, BigDecimal reserved, BigDecimal lowBalance) {

    public BigDecimal available() {
        return balance.add(creditLimit).subtract(reserved);
    }

    /** True when the balance is below the low-balance threshold. */
    public boolean low() {
        return balance.compareTo(lowBalance) < 0;
    }
}
