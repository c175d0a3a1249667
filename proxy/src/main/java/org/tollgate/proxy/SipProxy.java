package org.tollgate.proxy;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.TransactionUnavailableException;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.proxy.aaa.SubscriberAuthority;
import org.tollgate.proxy.acct.CallAccountant;
import org.tollgate.proxy.auth.DigestAuthenticator;
import org.tollgate.proxy.dialog.DialogRegistry;
import org.tollgate.proxy.limits.CallLimits;
import org.tollgate.proxy.location.Registrar;
import org.tollgate.proxy.media.MediaRelay;
import org.tollgate.proxy.relay.DialogTokens;
import org.tollgate.proxy.relay.InDialogRelay;
import org.tollgate.proxy.routing.Router;
import org.tollgate.proxy.sip.Headers;
import org.tollgate.proxy.sip.MalformedRequests;
import org.tollgate.proxy.sip.SipEndpoint;
import org.tollgate.proxy.sip.Source;

import gov.nist.javax.sip.message.SIPMessage;

/**
 * The SIP stack's listener: checks what every request must satisfy (Max-Forwards, size, a
 * transaction the stack accepts), hands it to {@link InitialRouting} or {@link InDialogRouting},
 * and hands responses and timeouts to the {@link ProxiedRequest} whose branch they belong to.
 * A request the proxy cannot serve as it is gets 400, counted, never a stack trace.
 */
public final class SipProxy implements SipListener {

    private static final Logger log = LoggerFactory.getLogger(SipProxy.class);

    private final SipEndpoint sip;
    private final ProxySettings settings;
    private final ProxyMetrics metrics;
    private final Replies replies;
    private final ResponseRelay responses;
    private final MalformedRequests malformed;
    private final InitialRouting initial;
    private final InDialogRouting inDialog;
    private final CallLifecycle calls;

    public SipProxy(ProxySettings settings, SipEndpoint sip, SubscriberAuthority authority, DigestAuthenticator digest,
                    Router router, Registrar registrar, DialogRegistry dialogs, CallAccountant acct,
                    ProxyMetrics metrics, ScheduledExecutorService timers, Clock clock, Trusted trusted,
                    DialogTokens tokens, InDialogRelay relay, MalformedRequests malformed, CallLimits limits,
                    MediaRelay media) {
        this.sip = sip;
        this.settings = settings;
        this.metrics = metrics;
        this.malformed = malformed;
        this.replies = new Replies(sip, metrics);
        this.responses = new ResponseRelay(sip, metrics);
        Forwarding fw = new Forwarding(settings, sip, timers, metrics, replies, responses, new OwnRoutes(sip, tokens),
                new SessionTimers(settings, replies), new PendingInvites(), media);
        PrepaidControl prepaid = new PrepaidControl(authority, settings.prepaid(), dialogs, timers, metrics, clock);
        this.calls = new CallLifecycle(settings, dialogs, acct, metrics, clock, new DialogEnder(sip, acct), limits,
                prepaid, media);
        this.initial = new InitialRouting(fw, authority, digest, router, registrar, trusted, calls, limits);
        this.inDialog = new InDialogRouting(fw, dialogs, relay, trusted, calls);
    }

    /** The call lifecycle, for ending calls from outside SIP (an operator). */
    CallLifecycle calls() {
        return calls;
    }

    // ---- requests ----

    @Override
    public void processRequest(RequestEvent ev) {
        Request req = ev.getRequest();
        try {
            metrics.request(req.getMethod());
            handle(ev, req, Source.of(ev));
        } catch (BadRequest e) {
            malformed.refused(Source.of(ev).ip() + "/" + Source.of(ev).transport(), e.getMessage());
            if (!req.getMethod().equals(Request.ACK)) {
                replies.stateless(req, Response.BAD_REQUEST, "Bad Request");
            }
        } catch (Exception e) {
            log.warn("{} from {} failed: {}", req.getMethod(), Source.of(ev), e.toString(), e);
            if (!req.getMethod().equals(Request.ACK)) {
                replies.stateless(req, Response.SERVER_INTERNAL_ERROR, null);
            }
        }
    }

    /** The request is not one the proxy can serve as it is: answered 400, counted, one line now and then. */
    static final class BadRequest extends Exception {
        BadRequest(String why) {
            super(why, null, false, false);
        }
    }

    private void handle(RequestEvent ev, Request req, Source src) throws Exception {
        String method = req.getMethod();
        if (method.equals(Request.ACK)) {
            inDialog.ack(ev, req, src);
            return;
        }
        MaxForwardsHeader mf = (MaxForwardsHeader) req.getHeader(MaxForwardsHeader.NAME);
        if (mf != null && mf.getMaxForwards() <= 0) {
            replies.stateless(req, Response.TOO_MANY_HOPS, "Too Many Hops");
            return;
        }
        if (mf == null) {
            // RFC 3261 16.6 step 3: a proxy adds the missing Max-Forwards (the RI refuses a server transaction without one)
            req.addHeader(sip.headers().createMaxForwardsHeader(70));
        }
        if (req instanceof SIPMessage m && m.getSize() > settings.maxMessageSize()) {
            replies.stateless(req, Response.MESSAGE_TOO_LARGE, "Message Too Big");
            return;
        }
        ServerTransaction st = serverTransaction(ev);
        if (st == null) {
            return;
        }
        if (method.equals(Request.CANCEL)) {
            inDialog.cancel(st, req, src);
        } else if (Headers.to(req).getTag() != null) {
            inDialog.route(st, req, src);
        } else {
            initial.route(st, req, src);
        }
    }

    private ServerTransaction serverTransaction(RequestEvent ev) throws Exception {
        if (ev.getServerTransaction() != null) {
            return ev.getServerTransaction();
        }
        try {
            return sip.provider().getNewServerTransaction(ev.getRequest());
        } catch (TransactionAlreadyExistsException e) {
            return null;
        } catch (TransactionUnavailableException e) {
            // the RI refuses requests missing what their method needs (Contact, Event, ...): the sender's fault
            throw new BadRequest(e.getMessage());
        }
    }

    // ---- responses ----

    @Override
    public void processResponse(ResponseEvent ev) {
        Response r = ev.getResponse();
        ClientTransaction ct = ev.getClientTransaction();
        try {
            if (ct == null) {
                responses.stray(r);
                return;
            }
            if (ct.getApplicationData() instanceof ProxiedRequest.Branch b) {
                b.owner().onResponse(b, r);
            }
        } catch (Exception e) {
            log.warn("response {} failed: {}", r.getStatusCode(), e.toString(), e);
        }
    }

    /** Forwards a response that matches no transaction (RFC 3261 §16.11), e.g. a retransmitted 2xx. */
    public void relayStateless(Response r) {
        responses.stray(r);
    }

    @Override
    public void processTimeout(TimeoutEvent ev) {
        if (!ev.isServerTransaction() && ev.getClientTransaction() != null
                && ev.getClientTransaction().getApplicationData() instanceof ProxiedRequest.Branch b) {
            b.owner().onTimeout(b);
        }
    }

    @Override
    public void processIOException(IOExceptionEvent ev) {
        log.debug("I/O error towards {}:{}/{}", ev.getHost(), ev.getPort(), ev.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent ev) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent ev) {
    }
}
