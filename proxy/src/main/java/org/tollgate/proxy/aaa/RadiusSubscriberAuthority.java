package org.tollgate.proxy.aaa;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.tinyradius.core.RadiusPacketException;
import org.tinyradius.core.attribute.type.RadiusAttribute;
import org.tinyradius.core.packet.PacketType;
import org.tinyradius.core.packet.request.RadiusRequest;
import org.tinyradius.core.packet.response.RadiusResponse;

/**
 * Digest and group checks against the AAA server over RADIUS, as Kamailio's auth_radius and
 * group_radius ask them. Group answers (yes and no) are cached for the configured TTL, and
 * concurrent identical lookups share one request. Stages complete on the RADIUS I/O thread:
 * callers should not block in their callbacks (use the *Async variants for slow work).
 */
public final class RadiusSubscriberAuthority implements SubscriberAuthority {

    static final int MAX_CACHED = 100_000;

    private final Clock clock;
    private final long ttlMillis;
    private final AccessRequests requests;
    private final RadiusTransport transport;
    private final ConcurrentHashMap<String, Membership> groups = new ConcurrentHashMap<>();
    private final MeterRegistry registry;

    /** A group answer: in flight until {@code expiresAt} is set. */
    private static final class Membership {
        final CompletableFuture<Boolean> answer = new CompletableFuture<>();
        volatile long expiresAt = Long.MAX_VALUE;
    }

    public RadiusSubscriberAuthority(RadiusClientSettings settings) {
        this(settings, new SimpleMeterRegistry(), Clock.systemUTC());
    }

    public RadiusSubscriberAuthority(RadiusClientSettings settings, MeterRegistry registry, Clock clock) {
        this.clock = clock;
        this.registry = registry;
        this.ttlMillis = settings.groupCacheTtl().toMillis();
        this.requests = new AccessRequests(new AttributeEncoder(SipAccDictionary.get()), settings);
        this.transport = new RadiusTransport("tollgate-auth-io", SipAccDictionary.get(), settings.authServers(),
                settings.timeout(), settings.triesPerServer());
    }

    /**
     * Accept → accepted with the SIP-AVP values and Reply-Message; Reject (or Challenge) → not
     * accepted; no server → {@link DigestVerdict#noServer()}. A parameter too long for RADIUS
     * completes exceptionally with IllegalArgumentException.
     */
    @Override
    public CompletionStage<DigestVerdict> verifyDigest(DigestCheck check, CallAuthorization call) {
        RadiusRequest request;
        try {
            request = requests.digest(check, call, transport.nextId());
        } catch (RadiusPacketException | RuntimeException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("cannot encode digest check: " + e.getMessage(), e));
        }
        return verdict(call != null && call.usedSeconds() > 0 ? "reauthorize" : "digest", request,
                call == null || call.allServers());
    }

    @Override
    public CompletionStage<DigestVerdict> authorizeCall(String user, CallAuthorization call) {
        RadiusRequest request;
        try {
            request = requests.authorization(user, call, transport.nextId());
        } catch (RadiusPacketException | RuntimeException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("cannot encode authorization: " + e.getMessage(), e));
        }
        return verdict(call.usedSeconds() > 0 ? "reauthorize" : "authorize", request, call.allServers());
    }

    private CompletionStage<DigestVerdict> verdict(String type, RadiusRequest request, boolean allServers) {
        return transport.send(request, allServers).handle((response, error) -> {
            if (error != null) {
                count(type, "no_server");
                return DigestVerdict.noServer();
            }
            boolean accept = response.getType() == PacketType.ACCESS_ACCEPT;
            count(type, accept ? "accept" : "reject");
            List<String> avps = accept ? texts(response, AccessRequests.SIP_AVP) : List.of();
            List<String> reply = texts(response, AccessRequests.REPLY_MESSAGE);
            return new DigestVerdict(accept, false, avps, reply.isEmpty() ? null : String.join("", reply),
                    accept ? integer(response, AccessRequests.SESSION_TIMEOUT) : 0,
                    accept && integer(response, AccessRequests.TERMINATION_ACTION) == 1);
        });
    }

    @Override
    public CompletionStage<Boolean> isMember(String user, String group) {
        String key = user + '\u0000' + group;
        long now = clock.millis();
        Membership[] created = new Membership[1];
        Membership m = groups.compute(key, (k, old) -> {
            if (old != null && old.expiresAt > now) {
                return old;
            }
            created[0] = new Membership();
            return created[0];
        });
        if (m != created[0]) {
            count("group", "cached");
            return m.answer.thenApply(b -> b); // a copy: callers must not complete the shared one
        }
        if (groups.size() > MAX_CACHED) {
            groups.values().removeIf(x -> x.expiresAt <= now);
        }
        ask(key, user, group, m);
        return m.answer.thenApply(b -> b);
    }

    private void ask(String key, String user, String group, Membership m) {
        RadiusRequest request;
        try {
            request = requests.groupCheck(user, group, transport.nextId());
        } catch (RadiusPacketException | RuntimeException e) {
            groups.remove(key, m);
            m.answer.completeExceptionally(new IllegalArgumentException("cannot encode group check: " + e.getMessage(), e));
            return;
        }
        transport.send(request).whenComplete((response, error) -> {
            if (error != null) {
                count("group", "no_server");
                groups.remove(key, m); // the next lookup asks again
                m.answer.completeExceptionally(error);
                return;
            }
            boolean member = response.getType() == PacketType.ACCESS_ACCEPT;
            count("group", member ? "accept" : "reject");
            if (ttlMillis > 0) {
                m.expiresAt = clock.millis() + ttlMillis;
            } else {
                groups.remove(key, m);
            }
            m.answer.complete(member);
        });
    }

    @Override
    public void close() {
        transport.close();
        groups.clear();
    }

    private static List<String> texts(RadiusResponse response, int type) {
        return response.getAttributes().stream()
                .filter(a -> a.getVendorId() == -1 && a.getType() == type)
                .map(RadiusAttribute::getValue)
                .map(v -> new String(v, StandardCharsets.UTF_8))
                .toList();
    }

    /** An integer attribute (Session-Timeout, Termination-Action: 4 octets), or 0 when absent or malformed. */
    private static long integer(RadiusResponse response, int type) {
        return response.getAttributes().stream()
                .filter(a -> a.getVendorId() == -1 && a.getType() == type)
                .map(RadiusAttribute::getValue)
                .filter(v -> v.length == 4)
                .mapToLong(v -> java.nio.ByteBuffer.wrap(v).getInt() & 0xFFFFFFFFL)
                .findFirst().orElse(0);
    }

    private void count(String type, String result) {
        Counter.builder("tollgate.proxy.auth").tag("type", type).tag("result", result)
                .description("RADIUS subscriber checks by outcome").register(registry).increment();
    }
}
