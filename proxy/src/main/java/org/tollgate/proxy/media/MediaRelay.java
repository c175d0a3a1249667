package org.tollgate.proxy.media;

import java.nio.charset.StandardCharsets;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's media relay, as Kamailio's rtpengine module: the INVITE's SDP is offered to rtpengine
 * and forwarded rewritten to the relay's address and ports, the 18x/2xx SDP answered and relayed
 * rewritten, the relay's call deleted when the call ends or fails. A relay that does not answer
 * (every one configured) leaves the SDP as it is and the call goes on, signalling only, unless the
 * proxy is told to refuse such calls. Which calls go through it is a {@link MediaPolicy}; each relay
 * is pinged so one that came back is used again. {@link #none()} is the proxy without a relay.
 */
public class MediaRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediaRelay.class);

    /** What became of an offer. */
    public enum Offered {
        /** The SDP now names the relay. */
        RELAYED,
        /** Nothing to relay: the request has no SDP (a late offer goes signalling only). */
        NO_SDP,
        /** No relay answered: the SDP is as it was. */
        UNAVAILABLE
    }

    private final RtpEngine engine;
    private final NgClient client;
    private final HeaderFactory headers;
    private final long waitMillis;
    private final Settings settings;
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /**
     * @param answerWait        the longest a SIP thread waits for the relay's answer (all tries and relays)
     * @param policy            which calls go through the relay, unless their route says otherwise
     * @param refuseUnavailable a call that should go through the relay is refused (503) when none answers
     * @param relayTimeout      the relays' own media timeout (rtpengine's {@code --timeout})
     * @param pollInterval      how often the relay is asked about each relayed call (0: never)
     * @param pingInterval      how often each relay is pinged (0: never)
     */
    public record Settings(Duration answerWait, MediaPolicy policy, boolean refuseUnavailable, Duration relayTimeout,
                           Duration pollInterval, Duration pingInterval) {
    }

    public MediaRelay(NgClient client, RtpEngine engine, Settings settings, MeterRegistry registry) {
        this.client = client;
        this.engine = engine;
        this.headers = headerFactory();
        this.waitMillis = settings.answerWait().toMillis();
        this.settings = settings;
        this.registry = registry;
        if (client != null) {
            for (InetSocketAddress relay : client.relays()) {
                Gauge.builder("tollgate_proxy_media_relay_up", client, c -> c.answering(relay) ? 1 : 0)
                        .description("1 while the media relay answers (its commands and pings)")
                        .tag("relay", relay.toString()).register(registry);
            }
        }
    }

    /** No relay: SDP passes untouched. */
    public static MediaRelay none() {
        return new MediaRelay(null, null, new Settings(Duration.ZERO, MediaPolicy.NEVER, false, Duration.ZERO,
                Duration.ZERO, Duration.ZERO), null);
    }

    /** True when a call on a route with {@code routePolicy} (null: the proxy's) goes through the relay. */
    public boolean wanted(MediaPolicy routePolicy, boolean behindNat) {
        return engine != null && (routePolicy == null ? settings.policy() : routePolicy).relays(behindNat);
    }

    /** True when a call the relay should carry is refused if no relay answers. */
    public boolean refusesUnavailable() {
        return settings.refuseUnavailable();
    }

    /** True when a relay is configured. */
    public boolean enabled() {
        return engine != null;
    }

    public Settings settings() {
        return settings;
    }

    /** Pings every relay each {@code interval}: one that answers again is used again. */
    public void watchHealth(ScheduledExecutorService timers, Duration interval) {
        if (client == null || interval.isZero()) {
            return;
        }
        timers.scheduleWithFixedDelay(() -> {
            for (InetSocketAddress relay : client.relays()) {
                boolean was = client.answering(relay);
                boolean pong = client.ping(relay);
                if (was != pong) {
                    log.info("media relay {} is {}", relay, pong ? "up" : "down");
                }
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Rewrites a request's SDP (if it has one) to the relay's. */
    public Offered offer(Request request) {
        String sdp = sdp(request);
        if (sdp == null || engine == null) {
            return Offered.NO_SDP;
        }
        String callId = callId(request);
        String fromTag = ((FromHeader) request.getHeader(FromHeader.NAME)).getTag();
        try {
            replace(request, engine.offer(callId, fromTag, sdp).get(waitMillis, TimeUnit.MILLISECONDS));
            count("offer", "ok");
            return Offered.RELAYED;
        } catch (Exception e) {
            count("offer", "failed");
            log.warn("media relay offer of {} failed ({})", callId, e.toString());
            return Offered.UNAVAILABLE;
        }
    }

    /** Rewrites a response's SDP (if it has one) to the relay's. */
    public void answer(Request request, Response r) {
        String sdp = sdp(r);
        if (sdp == null || engine == null) {
            return;
        }
        String callId = callId(request);
        String fromTag = ((FromHeader) request.getHeader(FromHeader.NAME)).getTag();
        String toTag = ((ToHeader) r.getHeader(ToHeader.NAME)).getTag();
        try {
            replace(r, engine.answer(callId, fromTag, toTag == null ? "" : toTag, sdp)
                    .get(waitMillis, TimeUnit.MILLISECONDS));
            count("answer", "ok");
        } catch (Exception e) {
            count("answer", "failed");
            log.warn("media relay answer of {} failed ({}): signalling only", callId, e.toString());
        }
    }

    /** The call's media so far; fails with {@link NgClient.RelayError} when the relay does not know it. */
    public CompletableFuture<RtpEngine.Activity> query(String callId) {
        if (engine == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no media relay"));
        }
        return engine.query(callId);
    }

    /** Deletes the relay's call; does not wait. */
    public void delete(String callId, String fromTag) {
        if (engine != null) {
            engine.delete(callId, fromTag).whenComplete((totals, e) -> count("delete", e == null ? "ok" : "failed"));
        }
    }

    private static HeaderFactory headerFactory() {
        try {
            return javax.sip.SipFactory.getInstance().createHeaderFactory();
        } catch (javax.sip.PeerUnavailableException e) {
            throw new IllegalStateException("no JAIN-SIP header factory", e);
        }
    }

    private static String sdp(Message m) {
        ContentTypeHeader ct = (ContentTypeHeader) m.getHeader(ContentTypeHeader.NAME);
        byte[] body = m.getRawContent();
        if (ct == null || body == null || body.length == 0 || !"application".equalsIgnoreCase(ct.getContentType())
                || !"sdp".equalsIgnoreCase(ct.getContentSubType())) {
            return null;
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private void replace(Message m, String sdp) throws java.text.ParseException {
        m.setContent(sdp.getBytes(StandardCharsets.UTF_8), headers.createContentTypeHeader("application", "sdp"));
    }

    private static String callId(Request r) {
        return ((javax.sip.header.CallIdHeader) r.getHeader(javax.sip.header.CallIdHeader.NAME)).getCallId();
    }

    private void count(String step, String result) {
        counters.computeIfAbsent(step + '/' + result, k -> Counter.builder("tollgate_proxy_media_relay")
                .description("media relay commands by step and result").tag("step", step).tag("result", result)
                .register(registry)).increment();
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
