package org.tollgate.proxy.media;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's media relay, as Kamailio's rtpengine module: the INVITE's SDP is offered to rtpengine
 * and forwarded rewritten to the relay's address and ports, the 18x/2xx SDP answered and relayed
 * rewritten, the relay's call deleted when the call ends or fails. A relay that does not answer
 * (every one configured) leaves the SDP as it is: the call goes on, signalling only, and is counted.
 * {@link #none()} is the proxy without a relay.
 */
public class MediaRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediaRelay.class);

    private final RtpEngine engine;
    private final NgClient client;
    private final HeaderFactory headers;
    private final long waitMillis;
    private final MeterRegistry registry;

    /** @param wait the longest a SIP thread waits for the relay's answer (all tries and relays) */
    public MediaRelay(NgClient client, RtpEngine engine, Duration wait, MeterRegistry registry) {
        this.client = client;
        this.engine = engine;
        this.headers = headerFactory();
        this.waitMillis = wait.toMillis();
        this.registry = registry;
    }

    /** No relay: SDP passes untouched. */
    public static MediaRelay none() {
        return new MediaRelay(null, null, Duration.ZERO, null) {
            @Override
            public void offer(Request invite) {
            }

            @Override
            public void answer(Request invite, Response r) {
            }

            @Override
            public void delete(String callId, String fromTag) {
            }
        };
    }

    /** Rewrites the INVITE's SDP (if it has one) to the relay's. */
    public void offer(Request invite) {
        String sdp = sdp(invite);
        if (sdp == null) {
            return;
        }
        String callId = callId(invite);
        String fromTag = ((FromHeader) invite.getHeader(FromHeader.NAME)).getTag();
        try {
            replace(invite, engine.offer(callId, fromTag, sdp).get(waitMillis, TimeUnit.MILLISECONDS));
            count("offer", "ok");
        } catch (Exception e) {
            count("offer", "failed");
            log.warn("media relay offer of {} failed ({}): signalling only", callId, e.toString());
        }
    }

    /** Rewrites a response's SDP (if it has one) to the relay's. */
    public void answer(Request invite, Response r) {
        String sdp = sdp(r);
        if (sdp == null) {
            return;
        }
        String callId = callId(invite);
        String fromTag = ((FromHeader) invite.getHeader(FromHeader.NAME)).getTag();
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

    /** Deletes the relay's call; does not wait. */
    public void delete(String callId, String fromTag) {
        engine.delete(callId, fromTag).whenComplete((totals, e) -> count("delete", e == null ? "ok" : "failed"));
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
        Counter.builder("tollgate_proxy_media_relay").description("media relay commands by step and result")
                .tag("step", step).tag("result", result).register(registry).increment();
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
