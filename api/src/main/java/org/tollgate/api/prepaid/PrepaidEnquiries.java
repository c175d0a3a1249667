package org.tollgate.api.prepaid;

import java.time.Instant;
import java.util.Optional;
import org.tollgate.api.Money;
import org.tollgate.api.rating.Quote;

/**
 * The one-off questions a network may ask of a prepaid account outside a call (Diameter
 * CCR-Event: CHECK_BALANCE, PRICE_ENQUIRY, REFUND_ACCOUNT). They block on the database: call
 * them off the network's I/O threads.
 */
public interface PrepaidEnquiries {

    /** What a prepaid account can still spend (balance + credit limit − held), or empty when none has that name. */
    Optional<Money> available(String account);

    /** The price of {@code seconds} to {@code destination} from {@code at}, as the account's plan rates a call. */
    Quote price(String account, String destination, Instant at, long seconds);

    /**
     * Gives {@code amount} back to a prepaid account, once per {@code reference}: asked again, the
     * same entry is answered ({@link Settlement#alreadySettled()}). Refused (IllegalArgumentException)
     * for an unknown or postpaid account, another currency, or a reference used for another amount.
     */
    Settlement refund(String account, Money amount, String reference, String note);
}
