package org.tollgate.proxy.sip;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import javax.sip.SipStack;
import javax.sip.message.Response;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import gov.nist.javax.sip.stack.SIPTransactionStack;

/**
 * Hands responses that match no client transaction (2xx retransmissions after the INVITE
 * transaction ended) straight to the proxy for stateless forwarding. The RI would otherwise
 * compare each of them with every client transaction it holds, which under load turns into
 * a collapse: more retransmissions, longer scans. Also drops what arrives over TCP from a source
 * the stack's {@link SourceGate} refuses, before any transaction sees it.
 */
public final class StrayResponseValve implements SIPMessageValve {

    private static final Map<String, Consumer<Response>> HANDLERS = new ConcurrentHashMap<>();

    private SIPTransactionStack stack;
    private String stackName;
    private Consumer<Response> handler;

    /** Registers where a stack's stray responses go; call before the stack is created. */
    static void register(String stackName, Consumer<Response> handler) {
        HANDLERS.put(stackName, handler);
    }

    static void unregister(String stackName) {
        HANDLERS.remove(stackName);
    }

    @Override
    public void init(SipStack sipStack) {
        this.stack = (SIPTransactionStack) sipStack;
        this.stackName = sipStack.getStackName();
        this.handler = HANDLERS.get(stackName);
    }

    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        return admitted(channel);
    }

    /** Datagrams were counted (and a banned source's dropped) before parsing; streams are, here. */
    private boolean admitted(MessageChannel channel) {
        return !channel.isReliable() || SourceGate.Registry.of(stackName).admit(channel.getPeerAddress());
    }

    @Override
    public boolean processResponse(Response response, MessageChannel channel) {
        if (!admitted(channel)) {
            return false;
        }
        if (handler == null) {
            handler = HANDLERS.get(stackName);
            if (handler == null) {
                return true;
            }
        }
        if (stack.findTransaction(((SIPResponse) response).getTransactionId(), false) != null) {
            return true;
        }
        handler.accept(response);
        return false;
    }

    @Override
    public void destroy() {
    }
}
