package org.tollgate.proxy.ban;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.proxy.auth.DigestAuthenticator;
import org.tollgate.proxy.sip.Printable;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The bans in force, in memory, and the rules that make them (pike + htable ipban + fail2ban):
 * a source sending more than the flood limit is banned, a source failing authentication too
 * often is banned, a user whose password is guessed too often is locked. Trusted sources are
 * never counted nor banned. Nothing here waits on the database: new bans queue for
 * {@link BanSync} to write, and lifts come back from it.
 */
public final class BanTable implements DigestAuthenticator.Failures {

    /** The fail2ban-facing logger: one line per ban, nothing else. */
    private static final Logger banLog = LoggerFactory.getLogger("tollgate.ban");
    /** Bans of each kind held at most: spoofed sources and made-up user names must not fill the heap. */
    static final int MAX_BANS = 100_000;

    private final BanPolicy policy;
    private final Predicate<String> trusted;
    private final Clock clock;
    private final Counters flood;
    private final Counters sourceFailures;
    private final Counters userFailures;
    private final Map<String, Ban> sources = new ConcurrentHashMap<>();
    private final Map<String, Ban> users = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Ban> unwritten = new ConcurrentLinkedQueue<>();
    private final Counter dropped;
    private final Counter overLimit;
    private final MeterRegistry meters;
    private final int maxBans;
    private volatile long lastSweep = System.nanoTime() - 1_000_000_000L;

    public BanTable(BanPolicy policy, Predicate<String> trusted, Clock clock, MeterRegistry meters) {
        this(policy, trusted, clock, meters, MAX_BANS);
    }

    BanTable(BanPolicy policy, Predicate<String> trusted, Clock clock, MeterRegistry meters, int maxBans) {
        this.maxBans = maxBans;
        this.policy = policy;
        this.trusted = trusted;
        this.clock = clock;
        this.meters = meters;
        this.flood = new Counters(policy.floodWindow().toNanos());
        this.sourceFailures = new Counters(policy.authWindow().toNanos());
        this.userFailures = new Counters(policy.authWindow().toNanos());
        this.dropped = Counter.builder("tollgate_proxy_banned_dropped")
                .description("SIP messages dropped because their source is banned").register(meters);
        this.overLimit = Counter.builder("tollgate_proxy_bans_over_limit")
                .description("bans not made because as many of their kind are in force already").register(meters);
        meters.gauge("tollgate_proxy_bans", sources, Map::size);
        meters.gauge("tollgate_proxy_locked_users", users, Map::size);
    }

    /** Every message from {@code address}: counted; false when the source is (now) banned and the message must be dropped. */
    public boolean admit(String address) {
        if (trusted.test(address)) {
            return true;
        }
        if (active(sources, address) != null) {
            dropped.increment();
            return false;
        }
        int n = flood.hit(address, System.nanoTime());
        if (n > policy.floodRequests()) {
            ban(Ban.Kind.SOURCE, address, address, null, "flood",
                    "more than " + policy.floodRequests() + " messages in " + policy.floodWindow().toMillis() + " ms",
                    policy.banTime());
            dropped.increment();
            return false;
        }
        return true;
    }

    /** A digest answer from {@code address} for {@code user} (user@realm) was wrong. */
    @Override
    public void failed(String address, String user) {
        if (trusted.test(address)) {
            return;
        }
        long now = System.nanoTime();
        if (sourceFailures.hit(address, now) >= policy.authFailures() && active(sources, address) == null) {
            ban(Ban.Kind.SOURCE, address, address, user, "auth-failures",
                    policy.authFailures() + " failed authentications", policy.banTime());
        }
        if (user != null && userFailures.hit(user, now) >= policy.userFailures() && active(users, user) == null) {
            ban(Ban.Kind.USER, user, address, user, "auth-failures", policy.userFailures() + " failed authentications",
                    policy.userLockTime());
        }
    }

    /** The user proved its password: its failures so far are forgiven. */
    @Override
    public void succeeded(String user) {
        userFailures.reset(user);
    }

    /** True while {@code user}'s authentication is refused. */
    @Override
    public boolean locked(String user) {
        return user != null && active(users, user) != null;
    }

    public boolean banned(String address) {
        return active(sources, address) != null;
    }

    private Ban active(Map<String, Ban> map, String key) {
        Ban b = map.get(key);
        if (b != null && !clock.instant().isBefore(b.until())) {
            map.remove(key, b);
            return null;
        }
        return b;
    }

    private synchronized void ban(Ban.Kind kind, String subject, String source, String user, String reason,
                                  String detail, java.time.Duration time) {
        Map<String, Ban> map = kind == Ban.Kind.SOURCE ? sources : users;
        if (active(map, subject) != null) {
            return;
        }
        if (!room(map)) {
            return;
        }
        Instant now = clock.instant();
        Ban b = new Ban(0, kind, subject, source, reason, detail, now, now.plus(time));
        map.put(subject, b);
        unwritten.add(b);
        meters.counter("tollgate_proxy_bans_made", "reason", reason, "kind", kind.column()).increment();
        // the one line per ban a fail2ban filter matches: tollgate ban: source=<HOST> ...
        banLog.warn("tollgate ban: source={} user={} reason={} kind={} until={} ({})", source, Printable.word(user, 64), reason,
                kind.column(), b.until(), detail);
    }

    /** Bans made here and not yet written, oldest first; taken by the writer. */
    List<Ban> takeUnwritten() {
        List<Ban> out = new ArrayList<>();
        Ban b;
        while ((b = unwritten.poll()) != null) {
            out.add(b);
        }
        return out;
    }

    /** A ban the writer could not write goes back to wait for the next try (a few thousand at most). */
    void unwrittenAgain(Collection<Ban> bans) {
        if (unwritten.size() < 10_000) {
            unwritten.addAll(bans);
        }
    }

    /** The ban as written, with its row id. */
    void written(Ban before, Ban after) {
        (before.kind() == Ban.Kind.SOURCE ? sources : users).replace(before.subject(), before, after);
    }

    /** A ban in the table: another instance's (adopted), or this one's lifted there ({@code lifted} true). */
    void fromStore(Ban row, boolean lifted) {
        Map<String, Ban> map = row.kind() == Ban.Kind.SOURCE ? sources : users;
        Ban mine = map.get(row.subject());
        if (lifted) {
            if (mine != null && (mine.id() == row.id() || mine.id() == 0 && !mine.bannedAt().isAfter(row.bannedAt()))) {
                if (map.remove(row.subject(), mine)) {
                    (row.kind() == Ban.Kind.SOURCE ? flood : userFailures).reset(row.subject());
                    sourceFailures.reset(row.subject());
                    banLog.info("tollgate unban: {}={} (lifted)", row.kind() == Ban.Kind.SOURCE ? "source" : "user",
                            Printable.word(row.subject(), 64));
                }
            }
        } else if (mine == null && clock.instant().isBefore(row.until()) && room(map)) {
            map.putIfAbsent(row.subject(), row);
        }
    }

    /** True when {@code map} can take one more ban, once those that ended are gone (looked for once a second at most). */
    private boolean room(Map<String, Ban> map) {
        if (map.size() >= maxBans) {
            long now = System.nanoTime();
            if (now - lastSweep >= 1_000_000_000L) {
                lastSweep = now;
                removeEnded(map);
            }
            if (map.size() >= maxBans) {
                overLimit.increment();
                return false;
            }
        }
        return true;
    }

    private void removeEnded(Map<String, Ban> map) {
        Instant now = clock.instant();
        map.values().removeIf(b -> !now.isBefore(b.until()));
    }

    /** Bans in force now. */
    public List<Ban> all() {
        List<Ban> out = new ArrayList<>();
        for (Ban b : sources.values()) {
            if (clock.instant().isBefore(b.until())) {
                out.add(b);
            }
        }
        for (Ban b : users.values()) {
            if (clock.instant().isBefore(b.until())) {
                out.add(b);
            }
        }
        return out;
    }

    /** Forgets bans and counting windows that ended (called about once a second). */
    void purge() {
        removeEnded(sources);
        removeEnded(users);
        long now = System.nanoTime();
        flood.purge(now);
        sourceFailures.purge(now);
        userFailures.purge(now);
    }
}
