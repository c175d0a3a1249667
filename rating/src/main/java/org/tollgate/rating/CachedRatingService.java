package org.tollgate.rating;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import org.tollgate.api.Money;
import org.tollgate.api.rating.Allowance;
import org.tollgate.api.rating.Quote;
import org.tollgate.api.rating.RatingService;
import org.tollgate.api.rating.Usage;
import org.tollgate.rating.plan.AccountRef;
import org.tollgate.rating.plan.JdbcRatePlans;
import org.tollgate.rating.tariff.RatePlan;

/**
 * {@link RatingService} for calls being set up: accounts and plans (a prefix trie each) are kept
 * in memory, so pricing and "how long may this call last" never wait on the database once warm.
 * Entries older than {@code refresh} are reloaded in the background while the old one keeps
 * answering; a plan is reloaded only when its {@code updated_at} moved (an import, a new band).
 * Unknown accounts are remembered too, so a stream of requests for a name that does not exist
 * does not turn into a stream of queries.
 */
public final class CachedRatingService implements RatingService {

    private record Loaded(RatePlan plan, Instant updatedAt) { }

    private final JdbcRatePlans plans;
    private final Rater rater;
    private final LongestCall longest;
    private final LoadingCache<String, Optional<AccountRef>> accounts;
    private final LoadingCache<String, Optional<Loaded>> loadedPlans;

    public CachedRatingService(JdbcRatePlans plans, Rater rater, Duration refresh, long maxAccounts) {
        this.plans = plans;
        this.rater = rater;
        this.longest = new LongestCall(rater);
        this.accounts = Caffeine.newBuilder().maximumSize(maxAccounts).refreshAfterWrite(refresh)
                .build(plans::account);
        this.loadedPlans = Caffeine.newBuilder().refreshAfterWrite(refresh).build(new com.github.benmanes.caffeine.cache.CacheLoader<>() {
            @Override
            public Optional<Loaded> load(String name) {
                Optional<Instant> at = plans.updatedAt(name);
                return plans.load(name).map(p -> new Loaded(p, at.orElse(Instant.EPOCH)));
            }

            @Override
            public Optional<Loaded> reload(String name, Optional<Loaded> old) {
                Optional<Instant> at = plans.updatedAt(name);
                if (old.isPresent() && at.isPresent() && at.get().equals(old.get().updatedAt())) {
                    return old;
                }
                return load(name);
            }
        });
    }

    @Override
    public Quote price(Usage usage) {
        Priced p = resolve(usage.account());
        if (p.refusal() != null) {
            return Quote.unrated(usage.destination(), null, p.refusal());
        }
        return rater.price(p.plan(), usage.destination(), usage.start(), usage.seconds(), p.account().zone());
    }

    @Override
    public Allowance longestCall(Usage upTo, Money amount) {
        Priced p = resolve(upTo.account());
        if (p.refusal() != null) {
            return Allowance.unrated(Quote.unrated(upTo.destination(), null, p.refusal()));
        }
        if (!p.plan().currency().equals(amount.currency())) {
            throw new IllegalArgumentException("account " + upTo.account() + " is billed in " + p.plan().currency()
                    + ", not " + amount.currency());
        }
        return longest.within(p.plan(), upTo.destination(), upTo.start(), amount.amount(), Math.max(1, upTo.seconds()),
                p.account().zone());
    }

    /** The account's kind (POSTPAID, PREPAID), or empty for an unknown account. */
    public Optional<AccountRef> account(String name) {
        return accounts.get(name);
    }

    /** Forgets what is cached about an account or a plan (after a change made in this process). */
    public void invalidate(String account, String plan) {
        if (account != null) {
            accounts.invalidate(account);
        }
        if (plan != null) {
            loadedPlans.invalidate(plan);
        }
    }

    /**
     * Reads again, in the background, every account and plan kept (changes may have been missed);
     * the entries kept go on answering until their new ones are loaded.
     */
    public void refreshAll() {
        accounts.refreshAll(java.util.List.copyOf(accounts.asMap().keySet()));
        loadedPlans.refreshAll(java.util.List.copyOf(loadedPlans.asMap().keySet()));
    }

    private record Priced(AccountRef account, RatePlan plan, String refusal) { }

    private Priced resolve(String name) {
        Optional<AccountRef> a = accounts.get(name);
        if (a.isEmpty()) {
            return new Priced(null, null, "no account named '" + name + "'");
        }
        Optional<Loaded> plan = loadedPlans.get(a.get().plan());
        if (plan.isEmpty()) {
            return new Priced(a.get(), null, "plan '" + a.get().plan() + "' of account '" + name + "' does not exist");
        }
        return new Priced(a.get(), plan.get().plan(), null);
    }
}
