package org.tollgate.proxy.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TooManyListenersException;
import java.util.concurrent.ThreadLocalRandom;

import javax.sip.ListeningPoint;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.HeaderFactory;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;

/**
 * The JAIN-SIP RI stack, its listening points and one provider, plus the factories and what
 * the proxy needs to know about itself (its address for Via, Record-Route and "is this me").
 */
public final class SipEndpoint implements AutoCloseable {

    private final SipStack stack;
    private final SipProvider provider;
    private final AddressFactory addresses;
    private final HeaderFactory headers;
    private final MessageFactory messages;
    private final String host;
    private final int port;
    private final String name;
    private volatile java.util.function.Consumer<javax.sip.message.Response> strayResponses = r -> { };

    public SipEndpoint(String name, String host, int port, List<String> transports, int threads, int maxMessageSize) {
        this(name, host, port, transports, threads, maxMessageSize, SourceGate.OPEN);
    }

    /** An endpoint whose entry points ask {@code gate} about each source and tell it what they cannot parse. */
    public SipEndpoint(String name, String host, int port, List<String> transports, int threads, int maxMessageSize,
                       SourceGate gate) {
        this.host = host;
        this.name = name;
        StrayResponseValve.register(name, r -> strayResponses.accept(r));
        SourceGate.Registry.register(name, gate);
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", name);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", Integer.toString(threads));
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        p.setProperty("gov.nist.javax.sip.AGGRESSIVE_CLEANUP", "true");
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(Math.max(maxMessageSize * 4, 65536)));
        p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", "4194304");
        p.setProperty("gov.nist.javax.sip.SEND_UDP_BUFFER_SIZE", "4194304");
        p.setProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", "100000");
        p.setProperty("gov.nist.javax.sip.MAX_CLIENT_TRANSACTIONS", "100000");
        p.setProperty("gov.nist.javax.sip.PASS_INVITE_NON_2XX_ACK_TO_LISTENER", "false");
        p.setProperty("gov.nist.javax.sip.REJECT_STRAY_RESPONSES", "false");
        // a proxy forwards NOTIFYs of subscriptions it did not make (the RI would refuse their server transaction)
        p.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "true");
        // java.util.Timer keeps cancelled tasks in its heap; a ScheduledThreadPoolExecutor purges them
        p.setProperty("gov.nist.javax.sip.TIMER_CLASS_NAME", "gov.nist.javax.sip.stack.timers.ScheduledExecutorSipTimer");
        p.setProperty("gov.nist.javax.sip.SIP_MESSAGE_VALVE", StrayResponseValve.class.getName());
        p.setProperty("javax.sip.ROUTER_PATH", NextHopRouter.class.getName());
        p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", GuardedTcpProcessorFactory.class.getName());
        p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", GuardedParserFactory.class.getName());
        try {
            SipFactory factory = SipFactory.getInstance();
            factory.setPathName("gov.nist");
            stack = factory.createSipStack(p);
            addresses = factory.createAddressFactory();
            headers = factory.createHeaderFactory();
            messages = factory.createMessageFactory();
            List<ListeningPoint> points = new ArrayList<>();
            int bound = port == 0 ? freePort(host) : port;
            for (String t : transports) {
                ListeningPoint lp = stack.createListeningPoint(host, bound, t);
                bound = lp.getPort();
                points.add(lp);
            }
            this.port = bound;
            provider = stack.createSipProvider(points.get(0));
            for (int i = 1; i < points.size(); i++) {
                provider.addListeningPoint(points.get(i));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot start SIP on " + host + ":" + port + " " + transports + ": " + e.getMessage(), e);
        }
    }

    /** Starts delivering to {@code listener}; responses matching no transaction go to {@code strays}. */
    public void start(SipListener listener, java.util.function.Consumer<javax.sip.message.Response> strays) {
        this.strayResponses = strays;
        try {
            provider.addSipListener(listener);
            stack.start();
        } catch (TooManyListenersException | javax.sip.SipException e) {
            throw new IllegalStateException(e);
        }
    }

    public SipProvider provider() {
        return provider;
    }

    public AddressFactory addresses() {
        return addresses;
    }

    public HeaderFactory headers() {
        return headers;
    }

    public MessageFactory messages() {
        return messages;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** True when the URI names this proxy (its address and port; no user part needed). */
    public boolean isMe(URI uri) {
        if (!(uri instanceof SipURI s)) {
            return false;
        }
        int p = s.getPort() <= 0 ? 5060 : s.getPort();
        return p == port && s.getHost() != null && stripBrackets(s.getHost()).equals(stripBrackets(host));
    }

    /** True when a Via header is one this proxy added. */
    public boolean isMyVia(ViaHeader via) {
        int p = via.getPort() <= 0 ? 5060 : via.getPort();
        return p == port && stripBrackets(via.getHost()).equals(stripBrackets(host));
    }

    public ViaHeader via(String transport) {
        try {
            return headers.createViaHeader(host, port, transport, newBranch());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Via whose branch is derived from the upstream one, for stateless forwarding (ACK for 2xx). */
    public ViaHeader statelessVia(String transport, String upstreamBranch) {
        try {
            return headers.createViaHeader(host, port, transport,
                    "z9hG4bK-sl" + Integer.toHexString(upstreamBranch == null ? 0 : upstreamBranch.hashCode()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public RecordRouteHeader recordRoute(String transport) {
        try {
            SipURI uri = addresses.createSipURI(null, host);
            uri.setPort(port);
            uri.setLrParam();
            if (!"udp".equalsIgnoreCase(transport)) {
                uri.setTransportParam(transport.toLowerCase());
            }
            return headers.createRecordRouteHeader(addresses.createAddress(uri));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The RI cannot bind port 0: find one free for both UDP and TCP. */
    public static int freePort(String host) throws java.io.IOException {
        java.net.InetAddress addr = java.net.InetAddress.getByName(host);
        for (int i = 0; i < 50; i++) {
            try (java.net.DatagramSocket udp = new java.net.DatagramSocket(0, addr)) {
                int candidate = udp.getLocalPort();
                try (java.net.ServerSocket tcp = new java.net.ServerSocket(candidate, 1, addr)) {
                    return candidate;
                } catch (java.io.IOException taken) {
                    // try another
                }
            }
        }
        throw new java.io.IOException("no free port for both UDP and TCP on " + host);
    }

    public static String newBranch() {
        return "z9hG4bK" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE)
                + Integer.toHexString(ThreadLocalRandom.current().nextInt() & 0xffff);
    }

    private static String stripBrackets(String h) {
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    @Override
    public void close() {
        stack.stop();
        StrayResponseValve.unregister(name);
        SourceGate.Registry.unregister(name);
    }
}
