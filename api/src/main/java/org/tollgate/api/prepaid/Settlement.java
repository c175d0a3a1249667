package org.tollgate.api.prepaid;

import org.tollgate.api.Money;

/**
 * What ending a call did: the money debited for it (zero for a call that never connected), the
 * balance after, and whether the debit was already there (a retransmission, or the call settled
 * by another path first) — then nothing was charged again.
 */
public record Settlement(Grant.Result result, Money debit, Money balance, boolean alreadySettled, String reason) {
}
