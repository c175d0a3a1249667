package org.tollgate.diameter.acct;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.jdiameter.client.api.IMessage;
import org.jdiameter.client.api.controller.IPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.api.AccountingEvent;
import org.tollgate.api.AccountingSink;
import org.tollgate.diameter.Answers;
import org.tollgate.diameter.BadRequest;
import org.tollgate.diameter.DiameterMetrics;
import org.tollgate.diameter.RequestHandler;
import org.tollgate.diameter.peer.DiameterPeer;
import org.tollgate.diameter.peer.DiameterPeerRegistry;

/**
 * ACR (base accounting, RFC 6733 §9): each record goes to the {@link AccountingSink} RADIUS
 * accounting uses — group commit to {@code acc_event}, the local journal when PostgreSQL is down —
 * and the ACA is sent only once it is durable. A retransmission is stored once (its record key).
 */
public final class AccountingRequests implements RequestHandler {

    private static final Logger log = LoggerFactory.getLogger(AccountingRequests.class);

    private final AcrMapper mapper;
    private final AccountingSink sink;
    private final DiameterPeerRegistry peers;
    private final Answers answers;
    private final DiameterMetrics metrics;
    private final Clock clock;

    public AccountingRequests(AcrMapper mapper, AccountingSink sink, DiameterPeerRegistry peers, Answers answers,
                              DiameterMetrics metrics, Clock clock) {
        this.mapper = mapper;
        this.sink = sink;
        this.peers = peers;
        this.answers = answers;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public IMessage handle(IMessage acr) {
        IPeer from = acr.getPeer();
        String host = from == null ? null : from.getUri().getFQDN();
        Optional<DiameterPeer> peer = host == null ? Optional.empty() : peers.byOriginHost(host);
        if (peer.isEmpty()) {
            // removed from the configuration while connected
            return answered(answers.error(acr, Answers.UNABLE_TO_DELIVER, null, "not a configured peer"));
        }
        AccountingEvent event;
        try {
            event = mapper.map(acr, peer.get(), address(from), Instant.now(clock));
        } catch (BadRequest bad) {
            return answered(answers.refuse(acr, bad));
        }
        sink.submit(event).whenComplete((ok, failure) -> {
            IMessage aca;
            if (failure == null) {
                aca = answers.answer(acr, Answers.SUCCESS);
                aca.getAvps().addAvp(acr.getAvps().getAvp(AcrMapper.RECORD_TYPE));
                aca.getAvps().addAvp(acr.getAvps().getAvp(AcrMapper.RECORD_NUMBER));
            } else {
                // neither stored nor journalled: the client sends it again, to us or another server
                log.warn("ACR {} not stored: {}", acr.getSessionId(), failure.toString());
                aca = answers.error(acr, Answers.TOO_BUSY, null, "accounting not stored, send again");
            }
            answers.send(acr, answered(aca));
        });
        return null;
    }

    private IMessage answered(IMessage answer) {
        metrics.answered("acr", answer);
        return answer;
    }

    private static String address(IPeer peer) {
        var addresses = peer.getIPAddresses();
        return addresses == null || addresses.length == 0 ? null : addresses[0].getHostAddress();
    }
}
