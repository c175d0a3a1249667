package org.tollgate.prepaid.ledger;

import java.math.BigDecimal;
import java.time.Instant;

/** One row of an account's ledger: the amount (signed) and the balance after it. */
public record LedgerEntry(long id, String account, EntryKind kind, BigDecimal amount, String currency,
                          BigDecimal balanceAfter, String idempotencyKey, String reference, String note,
                          Instant createdAt) {
}
