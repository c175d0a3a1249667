package org.tollgate.diameter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jdiameter.api.ApplicationId;
import org.jdiameter.api.Avp;
import org.jdiameter.api.DisconnectCause;
import org.jdiameter.api.MutablePeerTable;
import org.jdiameter.api.Network;
import org.jdiameter.api.NetworkReqListener;
import org.jdiameter.api.Peer;
import org.jdiameter.api.PeerState;
import org.jdiameter.api.Request;
import org.jdiameter.client.api.IMessage;
import org.jdiameter.server.impl.StackImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.diameter.dictionary.DiameterDictionary;
import org.tollgate.diameter.peer.AdmittingPeerTable;
import org.tollgate.diameter.peer.DiameterPeerRegistry;

/**
 * The Diameter server (role {@code diameter}): jDiameter's stack for the transport and the base
 * protocol (CER/CEA, DWR/DWA, DPR/DPA), the peer check at CER, and the applications Tollgate
 * serves — base accounting (3) and, when prepaid is there, Credit-Control (4). Requests go to
 * the handlers without jDiameter's application sessions: their state machines drop or double
 * some retransmissions, and Tollgate keeps every request idempotent itself.
 */
public final class DiameterServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DiameterServer.class);

    public static final int ACCOUNTING_REQUEST = 271;
    public static final int CREDIT_CONTROL = 272;
    public static final ApplicationId BASE_ACCOUNTING = ApplicationId.createByAccAppId(0, 3);
    public static final ApplicationId CREDIT_CONTROL_APP = ApplicationId.createByAuthAppId(0, 4);

    private final DiameterSettings settings;
    private final DiameterDictionary dictionary;
    private final DiameterPeerRegistry peers;
    private final DiameterMetrics metrics;
    private final Map<Integer, RequestHandler> handlers = new LinkedHashMap<>();
    private final Map<Integer, ApplicationId> applications = new LinkedHashMap<>();
    private StackImpl stack;
    private Answers answers;

    public DiameterServer(DiameterSettings settings, DiameterDictionary dictionary, DiameterPeerRegistry peers,
                          DiameterMetrics metrics) {
        this.settings = settings;
        this.dictionary = dictionary;
        this.peers = peers;
        this.metrics = metrics;
    }

    /** Serves {@code commandCode} of {@code application}; before {@link #start()}. */
    public DiameterServer serve(int commandCode, ApplicationId application, RequestHandler handler) {
        handlers.put(commandCode, handler);
        applications.put(commandCode, application);
        return this;
    }

    /** The answer builder and sender of the running stack (after {@link #initialize()}). */
    public Answers answers() {
        return answers;
    }

    /** Builds the stack (so handlers can get {@link #answers()}), without listening yet. */
    public DiameterServer initialize() throws Exception {
        stack = new StackImpl();
        stack.init(StackConfiguration.of(settings));
        answers = new Answers(stack.getMetaData());
        return this;
    }

    public void start() throws Exception {
        if (stack == null) {
            initialize();
        }
        AdmittingPeerTable table = (AdmittingPeerTable) stack.unwrap(MutablePeerTable.class);
        table.setCerCheck((host, realm, from) -> {
            if (peers.admit(host, realm, from).isPresent()) {
                return null;
            }
            metrics.peerRefused();
            log.warn("Diameter CER from {} (Origin-Host {}, realm {}) refused: not a configured peer",
                    from.getHostAddress(), host, realm);
            return 3010; // DIAMETER_UNKNOWN_PEER
        });
        peers.onRemoved(p -> {
            try {
                table.removePeer(p.originHost());
                log.info("Diameter peer {} removed: disconnected", p.name());
            } catch (RuntimeException e) {
                log.warn("Diameter peer {} removed, disconnect failed: {}", p.name(), e.toString());
            }
        });
        Network network = stack.unwrap(Network.class);
        // the CEA lists the applications whose listeners are registered before start
        network.addNetworkReqListener(new Dispatcher(), applications.values().stream().distinct()
                .toArray(ApplicationId[]::new));
        stack.start();
        log.info("Diameter server {} (realm {}) listening on {}:{} for {}", settings.identity(), settings.realm(),
                settings.bindAddress(), settings.port(), applications.values().stream().distinct().toList());
    }

    /** The peers jDiameter knows and their state (OKAY when connected). */
    public Map<String, PeerState> peerStates() {
        Map<String, PeerState> states = new LinkedHashMap<>();
        try {
            for (Peer p : stack.unwrap(MutablePeerTable.class).getPeerTable()) {
                states.put(p.getUri().getFQDN(), p.getState(PeerState.class));
            }
        } catch (Exception e) {
            log.debug("peer table not readable: {}", e.toString());
        }
        return states;
    }

    @Override
    public void close() {
        if (stack == null) {
            return;
        }
        try {
            stack.stop(5, TimeUnit.SECONDS, DisconnectCause.REBOOTING);
        } catch (Exception e) {
            log.warn("Diameter stack stop: {}", e.toString());
        } finally {
            stack.destroy();
            stack = null;
        }
    }

    private final class Dispatcher implements NetworkReqListener {

        @Override
        public org.jdiameter.api.Answer processRequest(Request request) {
            IMessage r = (IMessage) request;
            Avp unknown = unknownMandatory(r);
            if (unknown != null) {
                metrics.answered("command-" + r.getCommandCode(), Answers.AVP_UNSUPPORTED);
                return answers.error(r, Answers.AVP_UNSUPPORTED, unknown, "AVP " + unknown.getCode()
                        + (unknown.getVendorId() == 0 ? "" : " of vendor " + unknown.getVendorId())
                        + " with the M bit is not supported");
            }
            RequestHandler h = handlers.get(r.getCommandCode());
            if (h == null) {
                metrics.answered("command-" + r.getCommandCode(), 3001);
                return answers.error(r, 3001, null, "command " + r.getCommandCode() + " is not served here");
            }
            try {
                return h.handle(r);
            } catch (RuntimeException e) {
                log.warn("Diameter request {} ({}) failed: {}", r.getCommandCode(), r.getSessionId(), e.toString(), e);
                return answers.error(r, Answers.UNABLE_TO_COMPLY, null, "request failed");
            }
        }
    }

    /** The first top-level AVP with the M bit the dictionary does not know (RFC 6733 §4.1), or null. */
    Avp unknownMandatory(IMessage request) {
        for (Avp a : request.getAvps()) {
            if (a.isMandatory() && !dictionary.knows(a.getCode(), a.getVendorId())) {
                return a;
            }
        }
        return null;
    }
}
