package org.tollgate.prepaid.reservation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tollgate.api.Money;
import org.tollgate.api.prepaid.CallEnd;
import org.tollgate.api.prepaid.CallKey;
import org.tollgate.api.prepaid.CallReport;
import org.tollgate.api.prepaid.CallRequest;
import org.tollgate.api.prepaid.Grant;
import org.tollgate.api.prepaid.Settlement;
import org.tollgate.api.rating.Allowance;
import org.tollgate.api.rating.Quote;
import org.tollgate.api.rating.RatingService;
import org.tollgate.api.rating.Usage;
import org.tollgate.prepaid.PrepaidSettings;
import org.tollgate.prepaid.reservation.Reservation.State;
import org.tollgate.prepaid.reservation.Reservation.StoredAnswer;

/**
 * The prepaid rules, applied in memory to one batch's accounts and calls while the batch holds
 * their rows locked: what a call may be granted, what is held for it, what it is debited. Rating
 * is in memory too, so a batch of a thousand operations costs the database only its reads and
 * writes. The changes are written by {@link ReservationStore} in the same transaction.
 */
final class CallBook {

    /** A ledger entry for a call's debit. */
    record Posting(long accountId, BigDecimal amount, String currency, BigDecimal balanceAfter, String key,
                   String reference, String note) { }

    /** A call debit already in the ledger (found when the call's reservation row is not there). */
    record LedgerCall(BigDecimal amount, BigDecimal balanceAfter) { }

    private final RatingService rating;
    private final PrepaidSettings settings;
    private final Map<String, AccountState> accounts;
    private final Set<String> postpaid;
    private final Map<CallKey, Reservation> reservations;
    private final Map<String, LedgerCall> ledgerCalls;
    private final Map<CallKey, Reservation> changed = new LinkedHashMap<>();
    private final List<Posting> postings = new ArrayList<>();
    private int expired;
    private int lowBalanceCrossings;

    CallBook(RatingService rating, PrepaidSettings settings, Map<String, AccountState> accounts, Set<String> postpaid,
             Map<CallKey, Reservation> reservations, Map<String, LedgerCall> ledgerCalls) {
        this.rating = rating;
        this.settings = settings;
        this.accounts = accounts;
        this.postpaid = postpaid;
        this.reservations = reservations;
        this.ledgerCalls = ledgerCalls;
    }

    static String callKey(long accountId, String callId) {
        return "call/" + accountId + "/" + callId;
    }

    /** Applies one operation; answers a Grant, a Settlement or (Expire) a Boolean. */
    Object apply(Operation op) {
        if (op instanceof Operation.Authorize a) {
            return authorize(a.request());
        } else if (op instanceof Operation.Report r) {
            return report(r.report());
        } else if (op instanceof Operation.End e) {
            return end(e.end());
        }
        return expire((Operation.Expire) op);
    }

    Collection<Reservation> changedReservations() {
        return changed.values();
    }

    Collection<AccountState> changedAccounts() {
        return accounts.values().stream().filter(a -> a.changed).toList();
    }

    List<Posting> postings() {
        return postings;
    }

    int expired() {
        return expired;
    }

    int lowBalanceCrossings() {
        return lowBalanceCrossings;
    }

    private Grant authorize(CallRequest r) {
        AccountState acct = accounts.get(r.call().account());
        if (acct == null) {
            return notPrepaid(r.call().account());
        }
        Reservation res = reservations.get(r.call());
        if (res != null) {
            // asked again: the same answer, nothing held twice
            return res.over() ? Grant.refused(Grant.Result.UNKNOWN_CALL, "call " + r.call().callId() + " has ended")
                    : stored(res, acct);
        }
        res = new Reservation(acct.id, r.call().callId());
        res.destination = r.destination();
        res.authorizedAt = r.at();
        res.startAt = r.at();
        res.source = "authorize";
        reservations.put(r.call(), res);
        BigDecimal available = acct.available();
        Allowance allowance;
        try {
            allowance = rating.longestCall(new Usage(acct.name, r.destination(), r.at(), ceiling(r.wantedSeconds())),
                    money(acct, available));
        } catch (IllegalArgumentException e) {
            return refuse(res, r.call(), acct, Grant.Result.NO_RATE, e.getMessage(), r.at());
        }
        if (!allowance.rated()) {
            return refuse(res, r.call(), acct, Grant.Result.NO_RATE, allowance.reason(), r.at());
        }
        if (allowance.seconds() == 0) {
            return refuse(res, r.call(), acct, Grant.Result.INSUFFICIENT_CREDIT,
                    shortOfMoney(acct, available, r.destination(), r.at()), r.at());
        }
        res.state = State.OPEN;
        res.grantedSeconds = allowance.seconds();
        res.held = allowance.cost();
        acct.hold(allowance.cost());
        res.expiresAt = r.at().plusSeconds(allowance.seconds()).plus(settings.staleGrace());
        Grant g = new Grant(Grant.Result.GRANTED, allowance.seconds(), money(acct, allowance.cost()),
                money(acct, acct.available()), !allowance.capped(), null);
        return remember(res, r.call(), g);
    }

    private Grant report(CallReport r) {
        AccountState acct = accounts.get(r.call().account());
        if (acct == null) {
            return notPrepaid(r.call().account());
        }
        Reservation res = reservations.get(r.call());
        if (res == null || res.state == State.REFUSED) {
            return Grant.refused(Grant.Result.UNKNOWN_CALL, "call " + r.call().callId() + " was never authorized");
        }
        if (res.over()) {
            return Grant.refused(Grant.Result.UNKNOWN_CALL, "call " + r.call().callId() + " has ended");
        }
        if (r.sequence() <= res.seq) {
            return stored(res, acct); // a retransmission (or an older report): the answer already given
        }
        if (r.answeredAt() != null) {
            res.startAt = r.answeredAt();
            res.answered = true;
        }
        long used = r.sinceLastReport() ? res.usedSeconds + r.usedSeconds() : r.usedSeconds();
        // the whole call from its start, so its increments and bands are those postpaid rating gives it
        BigDecimal forCall = acct.available().add(res.held);
        Allowance allowance;
        try {
            allowance = rating.longestCall(new Usage(acct.name, res.destination, res.startAt,
                    used + ceiling(r.wantedSeconds())), money(acct, forCall));
        } catch (IllegalArgumentException e) {
            allowance = Allowance.unrated(Quote.unrated(res.destination, acct.currency, e.getMessage()));
        }
        Grant.Result result;
        String reason = null;
        long total;
        BigDecimal held;
        boolean last = true;
        if (!allowance.rated()) {
            result = Grant.Result.NO_RATE;
            reason = allowance.reason();
            total = used;
            held = res.held;
        } else if (allowance.seconds() <= used) {
            // the money does not buy another increment: hold what the time used costs, grant nothing more
            Quote spent = rating.price(new Usage(acct.name, res.destination, res.startAt, used));
            result = Grant.Result.INSUFFICIENT_CREDIT;
            reason = "insufficient credit: " + plain(forCall) + " " + acct.currency + " for the call, which has used "
                    + used + " s";
            total = used;
            held = spent.rated() ? spent.cost() : res.held;
        } else {
            result = Grant.Result.GRANTED;
            total = allowance.seconds();
            held = allowance.cost();
            last = !allowance.capped();
        }
        acct.hold(held.subtract(res.held));
        res.held = held;
        res.grantedSeconds = total;
        res.usedSeconds = used;
        res.seq = r.sequence();
        res.state = State.OPEN; // an expired call that reports again holds money again
        res.expiresAt = r.at().plusSeconds(total - used).plus(settings.staleGrace());
        Grant g = new Grant(result, total - used, money(acct, held), money(acct, acct.available()), last, reason);
        return remember(res, r.call(), g);
    }

    private Settlement end(CallEnd e) {
        AccountState acct = accounts.get(e.call().account());
        if (acct == null) {
            Grant g = notPrepaid(e.call().account());
            return new Settlement(g.result(), null, null, false, g.reason());
        }
        Reservation res = reservations.get(e.call());
        if (res != null && res.state == State.COMMITTED) {
            return new Settlement(Grant.Result.GRANTED, money(acct, res.debit), money(acct, res.balanceAfter), true, null);
        }
        String destination = e.destination() != null ? e.destination() : res != null ? res.destination : null;
        if (e.sinceLastReport()) {
            // the use since the last report: the call's whole use is what was reported before and this
            long total = (res != null ? res.usedSeconds : 0) + e.usedSeconds();
            Instant answeredAt = e.answeredAt() != null ? e.answeredAt()
                    : res != null ? res.startAt : e.at().minusSeconds(total);
            e = new CallEnd(e.call(), e.destination(), total, total == 0 ? null : answeredAt, e.at(), e.source());
        }
        if (res == null) {
            LedgerCall done = ledgerCalls.get(callKey(acct.id, e.call().callId()));
            if (done != null) {
                return new Settlement(Grant.Result.GRANTED, money(acct, done.amount().negate()),
                        money(acct, done.balanceAfter()), true, null);
            }
            if (e.usedSeconds() == 0) {
                return new Settlement(Grant.Result.UNKNOWN_CALL, null, money(acct, acct.balance), false,
                        "call " + e.call().callId() + " was never authorized");
            }
            if (destination == null) {
                return new Settlement(Grant.Result.UNKNOWN_CALL, null, money(acct, acct.balance), false,
                        "call " + e.call().callId() + " was never authorized and its end has no destination to price");
            }
            // a call that used time without an authorization here is debited all the same: nothing is lost
            res = new Reservation(acct.id, e.call().callId());
            res.destination = destination;
            res.authorizedAt = e.at();
            res.startAt = e.answeredAt();
            res.expiresAt = e.at();
            res.answer = new StoredAnswer(Grant.Result.UNKNOWN_CALL.name(), 0, null, null, true,
                    "ended before it was authorized");
            reservations.put(e.call(), res);
        }
        if (e.usedSeconds() == 0) {
            if (res.state == State.RELEASED) {
                return new Settlement(Grant.Result.GRANTED, money(acct, BigDecimal.ZERO), money(acct, acct.balance), true, null);
            }
            release(res, acct, State.RELEASED, e.source());
            return new Settlement(Grant.Result.GRANTED, money(acct, BigDecimal.ZERO), money(acct, acct.balance), false, null);
        }
        Quote price = rating.price(new Usage(acct.name, destination, e.answeredAt(), e.usedSeconds()));
        if (!price.rated()) {
            release(res, acct, State.RELEASED, e.source());
            return new Settlement(Grant.Result.NO_RATE, null, money(acct, acct.balance), false, price.reason());
        }
        BigDecimal before = acct.balance;
        acct.hold(res.held.negate());
        res.held = BigDecimal.ZERO;
        acct.debit(price.cost());
        if (before.compareTo(acct.lowBalance) >= 0 && acct.balance.compareTo(acct.lowBalance) < 0) {
            lowBalanceCrossings++;
        }
        res.state = State.COMMITTED;
        res.destination = destination;
        res.startAt = e.answeredAt();
        res.answered = true;
        res.usedSeconds = e.usedSeconds();
        res.debit = price.cost();
        res.balanceAfter = acct.balance;
        res.source = e.source();
        changed.put(e.call(), res);
        postings.add(new Posting(acct.id, price.cost().negate(), acct.currency.getCurrencyCode(), acct.balance,
                callKey(acct.id, e.call().callId()), e.call().callId(),
                destination + ", " + e.usedSeconds() + " s from " + e.answeredAt() + " (" + e.source() + ")"));
        return new Settlement(Grant.Result.GRANTED, money(acct, price.cost()), money(acct, acct.balance), false, null);
    }

    private Boolean expire(Operation.Expire op) {
        AccountState acct = accounts.get(op.call().account());
        Reservation res = reservations.get(op.call());
        if (acct == null || res == null || res.state != State.OPEN
                || (!op.supervised() && !res.expiresAt.isBefore(op.now()))) {
            return false; // it reported back or ended meanwhile
        }
        res.expiredAt = op.now();
        release(res, acct, State.EXPIRED, res.source);
        expired++;
        return true;
    }

    private void release(Reservation res, AccountState acct, State to, String source) {
        acct.hold(res.held.negate());
        res.held = BigDecimal.ZERO;
        res.state = to;
        res.source = source;
        changed.put(new CallKey(acct.name, res.callId), res);
    }

    private Grant refuse(Reservation res, CallKey call, AccountState acct, Grant.Result result, String reason, Instant at) {
        res.state = State.REFUSED;
        res.expiresAt = at;
        return remember(res, call, new Grant(result, 0, null, money(acct, acct.available()), true, reason));
    }

    private String shortOfMoney(AccountState acct, BigDecimal available, String destination, Instant at) {
        Quote first = rating.price(new Usage(acct.name, destination, at, 1));
        return "insufficient credit: " + plain(available) + " " + acct.currency + " available"
                + (first.rated() ? ", the first increment costs " + plain(first.cost()) : "");
    }

    private Grant remember(Reservation res, CallKey call, Grant g) {
        res.answer = new StoredAnswer(g.result().name(), g.seconds(), g.reserved() == null ? null : g.reserved().amount(),
                g.available() == null ? null : g.available().amount(), g.last(), g.reason());
        changed.put(call, res);
        return g;
    }

    private static Grant stored(Reservation res, AccountState acct) {
        StoredAnswer a = res.answer;
        return new Grant(Grant.Result.valueOf(a.result()), a.seconds(), a.reserved() == null ? null : money(acct, a.reserved()),
                a.available() == null ? null : money(acct, a.available()), a.last(), a.reason());
    }

    private Grant notPrepaid(String account) {
        return postpaid.contains(account)
                ? Grant.refused(Grant.Result.POSTPAID, "account " + account + " is postpaid: no prepaid limit")
                : Grant.refused(Grant.Result.UNKNOWN_ACCOUNT, "no account named " + account);
    }

    private long ceiling(long wanted) {
        long quota = settings.quota().toSeconds();
        return wanted <= 0 ? quota : Math.min(wanted, quota);
    }

    private static Money money(AccountState acct, BigDecimal amount) {
        return new Money(amount, acct.currency);
    }

    private static String plain(BigDecimal v) {
        return v.toPlainString();
    }
}
