package org.tollgate.proxy.aaa;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.netty.buffer.Unpooled;
import org.tinyradius.core.attribute.type.RadiusAttribute;
import org.tinyradius.core.dictionary.Dictionary;
import org.tinyradius.core.packet.PacketType;
import org.tinyradius.core.packet.request.RadiusRequest;
import org.tinyradius.core.packet.response.RadiusResponse;

/**
 * A small real RADIUS responder on a UDP socket: decodes and verifies requests with TinyRadius
 * (request authenticator, Message-Authenticator), then stays silent, drops some, or answers
 * with a proper Response Authenticator and the Proxy-State echoed.
 */
final class TestRadiusServer implements AutoCloseable {

    /** What to answer to an Access-Request. */
    record Answer(byte type, List<String[]> attributes) {
        static Answer accept(String... nameValues) {
            return new Answer(PacketType.ACCESS_ACCEPT, pairs(nameValues));
        }

        static Answer reject(String... nameValues) {
            return new Answer(PacketType.ACCESS_REJECT, pairs(nameValues));
        }

        private static List<String[]> pairs(String[] nv) {
            List<String[]> out = new ArrayList<>();
            for (int i = 0; i + 1 < nv.length; i += 2) {
                out.add(new String[] {nv[i], nv[i + 1]});
            }
            return out;
        }
    }

    private final Dictionary dictionary = SipAccDictionary.get();
    private final DatagramSocket socket;
    private final String secret;
    private final Thread thread;
    /** Every valid request received (retransmissions included), decoded. */
    final List<RadiusRequest> received = new CopyOnWriteArrayList<>();
    /** Requests answered, in order. */
    final List<RadiusRequest> answered = new CopyOnWriteArrayList<>();
    final AtomicInteger invalid = new AtomicInteger();
    volatile boolean silent;
    /** Datagrams still to ignore before answering. */
    final AtomicInteger dropNext = new AtomicInteger();
    /** Answers left before turning silent (negative: no limit). */
    final AtomicInteger answersLeft = new AtomicInteger(-1);
    volatile long answerDelayMillis;
    volatile String responseSecret;
    volatile Function<RadiusRequest, Answer> access = r -> Answer.accept();

    TestRadiusServer(String secret) throws SocketException {
        this.secret = secret;
        this.responseSecret = secret;
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve, "test-radius-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    RadiusClientSettings.Server server() {
        return new RadiusClientSettings.Server("127.0.0.1", socket.getLocalPort(), secret);
    }

    /** Session ids of the answered Accounting-Requests, in order. */
    List<String> answeredSessions() {
        return answered.stream().map(r -> value(r, "Acct-Session-Id")).toList();
    }

    static String value(RadiusRequest r, String name) {
        return r.getAttribute(name).map(RadiusAttribute::getValueString).orElse(null);
    }

    private void serve() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                handle(p);
            } catch (IOException e) {
                return;
            } catch (Exception e) {
                invalid.incrementAndGet();
            }
        }
    }

    private void handle(DatagramPacket p) throws Exception {
        byte[] raw = java.util.Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength());
        RadiusRequest request = RadiusRequest.fromByteBuf(dictionary, Unpooled.wrappedBuffer(raw));
        RadiusRequest decoded = request.decodeRequest(secret); // verifies authenticator / Message-Authenticator
        received.add(decoded);
        if (silent || dropNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return;
        }
        int left = answersLeft.get(); // one serving thread: no race
        if (left == 0) {
            return;
        }
        if (left > 0) {
            answersLeft.decrementAndGet();
        }
        if (answerDelayMillis > 0) {
            Thread.sleep(answerDelayMillis);
        }
        List<RadiusAttribute> attrs = new ArrayList<>();
        byte type;
        if (request.getType() == PacketType.ACCOUNTING_REQUEST) {
            type = PacketType.ACCOUNTING_RESPONSE;
        } else {
            Answer a = access.apply(decoded);
            type = a.type();
            for (String[] nv : a.attributes()) {
                attrs.add(dictionary.createAttribute(nv[0], nv[1]));
            }
        }
        attrs.addAll(request.filterAttributes(33));
        RadiusResponse response = RadiusResponse.create(dictionary, type, request.getId(), null, attrs)
                .encodeResponse(responseSecret, request.getAuthenticator());
        byte[] out = response.toBytes();
        answered.add(decoded);
        socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
    }

    @Override
    public void close() {
        socket.close();
    }
}
