package org.tollgate.proxy.aaa.diameter;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdiameter.api.Answer;
import org.jdiameter.api.ApplicationId;
import org.jdiameter.api.AvpSet;
import org.jdiameter.api.DisconnectCause;
import org.jdiameter.api.EventListener;
import org.jdiameter.api.PeerTable;
import org.jdiameter.api.Peer;
import org.jdiameter.api.PeerState;
import org.jdiameter.api.Request;
import org.jdiameter.api.Session;
import org.jdiameter.client.api.IMessage;
import org.jdiameter.client.impl.StackImpl;
import org.jdiameter.client.impl.helpers.XMLConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's Diameter client on jDiameter: connects to every configured server (CER, DWR),
 * sends a request to one server and waits Tx for its answer; on no answer, or no connection,
 * the next server gets it (with the T flag, RFC 6733 §5.5.4) when the caller allows failover.
 */
public final class DiameterClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DiameterClient.class);

    public static final ApplicationId CREDIT_CONTROL = ApplicationId.createByAuthAppId(0, 4);
    public static final ApplicationId ACCOUNTING = ApplicationId.createByAccAppId(0, 3);

    /** No server answered (each tried timed out or was not connected). */
    public static final class NoServer extends Exception {
        NoServer(String message) {
            super(message, null, false, false);
        }
    }

    private final DiameterClientSettings settings;
    private final StackImpl stack;

    public DiameterClient(DiameterClientSettings settings) {
        this.settings = settings;
        try {
            stack = new StackImpl();
            stack.init(new XMLConfiguration(new ByteArrayInputStream(configuration(settings)
                    .getBytes(StandardCharsets.UTF_8))));
            stack.start();
        } catch (Exception e) {
            throw new IllegalStateException("Diameter client cannot start: " + e.getMessage(), e);
        }
        log.info("Diameter client {} connecting to {}", settings.identity(), settings.servers());
    }

    static String configuration(DiameterClientSettings s) {
        StringBuilder peers = new StringBuilder();
        StringBuilder names = new StringBuilder();
        int rating = s.servers().size();
        for (DiameterClientSettings.Server server : s.servers()) {
            peers.append("<Peer name=\"aaa://").append(server.identity()).append(':').append(server.port())
                    .append("\" ip=\"").append(server.host()).append("\" rating=\"").append(rating--).append("\"/>");
            names.append(names.length() == 0 ? "" : ",").append(server.identity());
        }
        return """
                <?xml version="1.0"?>
                <Configuration xmlns="http://www.jdiameter.org/jdiameter-client">
                  <LocalPeer>
                    <URI value="aaa://%1$s:0"/>
                    <IPAddress value="0.0.0.0"/>
                    <Realm value="%2$s"/>
                    <VendorID value="0"/>
                    <ProductName value="Tollgate proxy"/>
                    <FirmwareRevision value="1"/>
                    <Applications>
                      <ApplicationID><VendorId value="0"/><AuthApplId value="4"/><AcctApplId value="0"/></ApplicationID>
                      <ApplicationID><VendorId value="0"/><AuthApplId value="0"/><AcctApplId value="3"/></ApplicationID>
                    </Applications>
                  </LocalPeer>
                  <Parameters>
                    <UseUriAsFqdn value="false"/>
                    <QueueSize value="100000"/>
                    <MessageTimeOut value="60000"/>
                    <StopTimeOut value="5000"/>
                    <CeaTimeOut value="10000"/>
                    <IacTimeOut value="%3$d"/>
                    <DwaTimeOut value="10000"/>
                    <DpaTimeOut value="5000"/>
                    <RecTimeOut value="5000"/>
                  </Parameters>
                  <Network>
                    <Peers>%4$s</Peers>
                    <Realms>
                      <Realm name="%5$s" peers="%6$s" local_action="LOCAL" dynamic="false" exp_time="1">
                        <ApplicationID><VendorId value="0"/><AuthApplId value="4"/><AcctApplId value="0"/></ApplicationID>
                      </Realm>
                      <Realm name="%5$s" peers="%6$s" local_action="LOCAL" dynamic="false" exp_time="1">
                        <ApplicationID><VendorId value="0"/><AuthApplId value="0"/><AcctApplId value="3"/></ApplicationID>
                      </Realm>
                    </Realms>
                  </Network>
                  <Extensions/>
                </Configuration>
                """.formatted(s.identity(), s.realm(), s.watchdogInterval().toMillis(), peers, s.destinationRealm(),
                names);
    }

    /**
     * Sends a request of {@code app} with this Session-Id to the first server connected (and, when
     * {@code failover}, to the next ones while none answers). {@code avps} fills it after the
     * Session-Id, Origin-* and Destination-* AVPs the stack adds.
     */
    public CompletableFuture<Answer> send(String sessionId, int commandCode, ApplicationId app, boolean failover,
                                          Consumer<AvpSet> avps) {
        CompletableFuture<Answer> result = new CompletableFuture<>();
        attempt(sessionId, commandCode, app, failover, avps, 0, false, result);
        return result;
    }

    private void attempt(String sessionId, int commandCode, ApplicationId app, boolean failover, Consumer<AvpSet> avps,
                         int index, boolean retransmission, CompletableFuture<Answer> result) {
        int next = nextUp(index);
        if (next < 0) {
            result.completeExceptionally(new NoServer("no Diameter server connected"));
            return;
        }
        DiameterClientSettings.Server server = settings.servers().get(next);
        Session session;
        try {
            session = stack.getSessionFactory().getNewSession(sessionId);
            Request request = session.createRequest(commandCode, app, settings.destinationRealm(), server.identity());
            avps.accept(request.getAvps());
            if (retransmission) {
                ((IMessage) request).setReTransmitted(true);
            }
            session.send(request, new EventListener<Request, Answer>() {
                @Override
                public void receivedSuccessMessage(Request r, Answer answer) {
                    session.release();
                    result.complete(answer);
                }

                @Override
                public void timeoutExpired(Request r) {
                    session.release();
                    log.warn("Diameter server {} did not answer {} within {} ms", server.identity(), sessionId,
                            settings.txTimeout().toMillis());
                    failOver(sessionId, commandCode, app, failover, avps, next, result);
                }
            }, settings.txTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("Diameter request {} not sent to {}: {}", sessionId, server.identity(), e.toString());
            failOver(sessionId, commandCode, app, failover, avps, next, result);
        }
    }

    private void failOver(String sessionId, int commandCode, ApplicationId app, boolean failover, Consumer<AvpSet> avps,
                          int failed, CompletableFuture<Answer> result) {
        if (failover && failed + 1 < settings.servers().size()) {
            attempt(sessionId, commandCode, app, true, avps, failed + 1, true, result);
        } else {
            result.completeExceptionally(new NoServer("no Diameter server answered " + sessionId));
        }
    }

    /** The first server at or after {@code from} whose connection is up, or -1. */
    private int nextUp(int from) {
        for (int i = from; i < settings.servers().size(); i++) {
            if (up(settings.servers().get(i).identity())) {
                return i;
            }
        }
        return -1;
    }

    private boolean up(String identity) {
        try {
            for (Peer p : stack.unwrap(PeerTable.class).getPeerTable()) {
                if (p.getUri().getFQDN().equalsIgnoreCase(identity)) {
                    return p.getState(PeerState.class) == PeerState.OKAY;
                }
            }
        } catch (Exception e) {
            log.debug("peer table not readable: {}", e.toString());
        }
        return false;
    }

    /** Whether any server is connected now. */
    public boolean connected() {
        return nextUp(0) >= 0;
    }

    /** Whether the server with this identity is connected now. */
    public boolean connected(String identity) {
        return up(identity);
    }

    @Override
    public void close() {
        try {
            stack.stop(5, TimeUnit.SECONDS, DisconnectCause.REBOOTING);
        } catch (Exception e) {
            log.debug("Diameter client stop: {}", e.toString());
        } finally {
            stack.destroy();
        }
    }
}
