package org.tollgate.app.demo;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sip.ListeningPoint;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;

import org.tollgate.proxy.sip.SipEndpoint;

/**
 * A JAIN-SIP RI stack of its own with one UDP listening point on 127.0.0.1: what a phone or
 * a gateway of the demo runs on. Each has its own socket, so each is a separate SIP peer.
 */
final class UdpSipStack implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    private static final AtomicInteger STACKS = new AtomicInteger();

    final SipStack stack;
    final SipProvider provider;
    final AddressFactory addresses;
    final HeaderFactory headers;
    final MessageFactory messages;
    final int port;
    private boolean closed;

    /** {@code requestedPort} 0: a free one. {@code outboundProxy} ("host:port/udp", or null): where requests without a Route go, as a phone's outbound proxy. */
    UdpSipStack(String name, int requestedPort, String outboundProxy, SipListener listener) {
        Properties p = new Properties();
        // unique: the RI keeps stacks by name, and a stopped one must not be handed out again; under
        // tollgate.sipstack, whose logger application.yml silences as it does the proxy's
        p.setProperty("javax.sip.STACK_NAME", "tollgate.sipstack.demo-" + name + "-" + STACKS.incrementAndGet());
        if (outboundProxy != null) {
            p.setProperty("javax.sip.OUTBOUND_PROXY", outboundProxy);
        }
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "1");
        try {
            SipFactory factory = SipFactory.getInstance();
            factory.setPathName("gov.nist");
            stack = factory.createSipStack(p);
            addresses = factory.createAddressFactory();
            headers = factory.createHeaderFactory();
            messages = factory.createMessageFactory();
            ListeningPoint lp = stack.createListeningPoint(HOST, requestedPort == 0 ? SipEndpoint.freePort(HOST) : requestedPort,
                    ListeningPoint.UDP);
            port = lp.getPort();
            provider = stack.createSipProvider(lp);
            provider.addSipListener(listener);
            stack.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start a SIP stack for " + name + ": " + e.getMessage(), e);
        }
    }

    /** Closes the socket at once: to the network this peer is gone. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            stack.stop();
        }
    }
}
