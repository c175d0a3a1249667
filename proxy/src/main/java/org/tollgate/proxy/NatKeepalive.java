package org.tollgate.proxy;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.proxy.location.Binding;
import org.tollgate.proxy.location.LocationService;
import org.tollgate.proxy.sip.HostPort;
import org.tollgate.proxy.sip.Nat;
import org.tollgate.proxy.sip.NextHopRouter;
import org.tollgate.proxy.sip.SipEndpoint;

/**
 * nathelper's {@code natping_interval} with {@code sipping}: every interval each phone registered
 * from behind NAT is sent an OPTIONS, statelessly, where its REGISTER came from, so its NAT keeps
 * the binding open for the calls to come. The answers are dropped as stray responses.
 */
final class NatKeepalive {

    private static final Logger log = LoggerFactory.getLogger(NatKeepalive.class);

    private final SipEndpoint sip;
    private final LocationService location;
    private final String domain;
    private final Counter sent;
    private final AtomicLong cseq = new AtomicLong();

    NatKeepalive(SipEndpoint sip, LocationService location, String domain, MeterRegistry meters) {
        this.sip = sip;
        this.location = location;
        this.domain = domain;
        this.sent = Counter.builder("tollgate_proxy_nat_pings").description("OPTIONS keepalives sent to phones behind NAT")
                .register(meters);
    }

    void start(ScheduledExecutorService timers, java.time.Duration interval) {
        if (!interval.isZero()) {
            timers.scheduleWithFixedDelay(this::pingAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    void pingAll() {
        for (Binding b : location.all()) {
            try {
                URI contact = sip.addresses().createURI(b.contact());
                HostPort at = Nat.registeredBehind(contact, b.received());
                if (at != null && contact instanceof SipURI) {
                    ping(contact, at, b.received().substring(0, b.received().indexOf(':')));
                }
            } catch (Exception e) {
                log.debug("no keepalive for {}: {}", b.contact(), e.toString());
            }
        }
    }

    private void ping(URI contact, HostPort at, String transport) throws Exception {
        var h = sip.headers();
        var a = sip.addresses();
        FromHeader from = h.createFromHeader(a.createAddress("sip:keepalive@" + domain),
                Long.toHexString(System.nanoTime()));
        ToHeader to = h.createToHeader(a.createAddress(contact), null);
        CallIdHeader callId = h.createCallIdHeader("natping-" + Long.toHexString(cseq.incrementAndGet()) + "@" + domain);
        CSeqHeader c = h.createCSeqHeader(1L, Request.OPTIONS);
        Request options = sip.messages().createRequest(contact, Request.OPTIONS, callId, c, from, to,
                List.of(sip.via(transport)), h.createMaxForwardsHeader(70));
        NextHopRouter.sendTo(options, at, transport);
        sip.provider().sendRequest(options);
        sent.increment();
    }
}
