package org.tollgate.prepaid.account;

import java.time.Instant;
import java.util.Currency;
import java.util.Optional;
import org.tollgate.api.Money;
import org.tollgate.api.prepaid.Grant;
import org.tollgate.api.prepaid.PrepaidEnquiries;
import org.tollgate.api.prepaid.Settlement;
import org.tollgate.api.rating.Quote;
import org.tollgate.api.rating.RatingService;
import org.tollgate.api.rating.Usage;
import org.tollgate.prepaid.ledger.EntryKind;
import org.tollgate.prepaid.ledger.JdbcLedger;

/** {@link PrepaidEnquiries} on the prepaid tables, the ledger and the rating engine. */
public class JdbcPrepaidEnquiries implements PrepaidEnquiries {

    private final PrepaidAccounts accounts;
    private final JdbcLedger ledger;
    private final RatingService rating;

    public JdbcPrepaidEnquiries(PrepaidAccounts accounts, JdbcLedger ledger, RatingService rating) {
        this.accounts = accounts;
        this.ledger = ledger;
        this.rating = rating;
    }

    @Override
    public Optional<Money> available(String account) {
        return accounts.find(account).map(a -> new Money(a.available(), Currency.getInstance(a.currency())));
    }

    @Override
    public Quote price(String account, String destination, Instant at, long seconds) {
        return rating.price(new Usage(account, destination, at, seconds));
    }

    @Override
    public Settlement refund(String account, Money amount, String reference, String note) {
        JdbcLedger.Posted p = ledger.post(account, EntryKind.REFUND, amount, reference, note);
        return new Settlement(Grant.Result.GRANTED, amount,
                new Money(p.entry().balanceAfter(), amount.currency()), p.already(), null);
    }
}
