package org.tollgate.aaa.radius.server;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.EventExecutorGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tinyradius.core.RadiusPacketException;
import org.tinyradius.core.attribute.type.RadiusAttribute;
import org.tinyradius.core.attribute.type.VendorSpecificAttribute;
import org.tinyradius.core.dictionary.Dictionary;
import org.tinyradius.core.packet.PacketType;
import org.tinyradius.core.packet.request.RadiusRequest;
import org.tinyradius.core.packet.response.RadiusResponse;
import org.tinyradius.core.packet.util.MessageAuthSupport;
import org.tollgate.aaa.radius.acct.AccountingEventMapper;
import org.tollgate.aaa.radius.acct.AccountingPacket;
import org.tollgate.aaa.radius.auth.AccessDecision;
import org.tollgate.aaa.radius.auth.AccessPolicy;
import org.tollgate.aaa.radius.auth.AccessRequestView;
import org.tollgate.aaa.radius.auth.AttributeItem;
import org.tollgate.aaa.radius.client.NasClient;
import org.tollgate.aaa.radius.client.NasClientRegistry;
import org.tollgate.aaa.radius.dictionary.RadiusDictionaries;
import org.tollgate.aaa.radius.prepaid.PrepaidAccounting;
import org.tollgate.aaa.radius.prepaid.PrepaidAuthorization;
import org.tollgate.api.AccountingEvent;
import org.tollgate.api.AccountingSink;

/**
 * One RADIUS datagram in, at most one answer out. Unknown clients, malformed packets, bad
 * authenticators and missing Message-Authenticators (where the client must send one) are dropped
 * and counted (the last also logged once a minute per client, with the fix). Access
 * responses always carry a Message-Authenticator; Accounting-Responses go out only once the
 * record is durable. Prepaid authorizations are answered when the prepaid engine has decided
 * (within its bound), without holding a RADIUS thread; prepaid accounting goes to the engine once
 * the NAS has its Accounting-Response.
 */
public class RadiusPacketHandler {

    private static final Logger log = LoggerFactory.getLogger(RadiusPacketHandler.class);
    private static final int PROXY_STATE = 33;
    private static final int MESSAGE_AUTHENTICATOR = 80;

    /** Which socket a datagram came in on. */
    public enum Port { AUTH, ACCT }

    private final NasClientRegistry clients;
    private final RadiusDictionaries dictionaries;
    private final AccessPolicy policy;
    private final AccountingSink sink;
    private final RadiusMetrics metrics;
    private final Clock clock;
    private final PrepaidAuthorization prepaidAuthorization;
    private final PrepaidAccounting prepaidAccounting;
    private final DuplicateRequests duplicates = new DuplicateRequests(java.time.Duration.ofSeconds(5));
    private final MessageAuthenticatorGate messageAuthenticators;

    public RadiusPacketHandler(NasClientRegistry clients, RadiusDictionaries dictionaries, AccessPolicy policy,
                               AccountingSink sink, RadiusMetrics metrics, Clock clock) {
        this(clients, dictionaries, policy, sink, metrics, clock, null, null);
    }

    /** With prepaid over RADIUS; {@code prepaidAuthorization} and {@code prepaidAccounting} may be null (none). */
    public RadiusPacketHandler(NasClientRegistry clients, RadiusDictionaries dictionaries, AccessPolicy policy,
                               AccountingSink sink, RadiusMetrics metrics, Clock clock,
                               PrepaidAuthorization prepaidAuthorization, PrepaidAccounting prepaidAccounting) {
        this.clients = clients;
        this.dictionaries = dictionaries;
        this.policy = policy;
        this.sink = sink;
        this.metrics = metrics;
        this.clock = clock;
        this.messageAuthenticators = new MessageAuthenticatorGate(clock);
        this.prepaidAuthorization = prepaidAuthorization;
        this.prepaidAccounting = prepaidAccounting;
    }

    public void handle(Port port, ByteBuf content, InetSocketAddress sender, Consumer<ByteBuf> reply) {
        byte[] raw = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), raw);
        Optional<NasClient> client = clients.match(sender.getAddress());
        if (client.isEmpty()) {
            metrics.drop(RadiusMetrics.Drop.UNKNOWN_CLIENT);
            return;
        }
        NasClient nas = client.get();
        Dictionary dictionary = dictionaries.forProfile(nas.profile());
        if (port == Port.ACCT && raw.length > 0 && raw[0] == PacketType.ACCOUNTING_REQUEST) {
            accounting(raw, nas, sender, reply);
            return;
        }
        RadiusRequest request;
        try {
            request = RadiusRequest.fromByteBuf(dictionary, content);
        } catch (RadiusPacketException | RuntimeException e) {
            metrics.drop(RadiusMetrics.Drop.MALFORMED);
            return;
        }
        try {
            switch (request.getType()) {
                case PacketType.ACCESS_REQUEST -> {
                    if (port == Port.AUTH) {
                        access(request, nas, dictionary, sender, reply);
                    } else {
                        metrics.drop(RadiusMetrics.Drop.UNSUPPORTED_TYPE);
                    }
                }
                case PacketType.STATUS_SERVER -> statusServer(port, request, nas, dictionary, reply);
                default -> metrics.drop(RadiusMetrics.Drop.UNSUPPORTED_TYPE);
            }
        } catch (RadiusPacketException | RuntimeException e) {
            metrics.drop(RadiusMetrics.Drop.INTERNAL_ERROR);
            log.warn("cannot answer {} from {} ({}): {}", PacketType.getPacketTypeName(request.getType()),
                    nas.name(), sender, e.toString());
        }
    }

    private void access(RadiusRequest request, NasClient nas, Dictionary dictionary, InetSocketAddress sender,
                        Consumer<ByteBuf> reply) throws RadiusPacketException {
        boolean signed = hasMessageAuthenticator(request);
        if (!signed && messageAuthenticators.dropsMissing(nas)) {
            metrics.drop(RadiusMetrics.Drop.MISSING_MESSAGE_AUTHENTICATOR);
            return;
        }
        RadiusRequest decoded;
        try {
            decoded = request.decodeRequest(nas.secret()); // verifies a Message-Authenticator it has
        } catch (RadiusPacketException e) {
            metrics.drop(RadiusMetrics.Drop.BAD_AUTHENTICATOR);
            return;
        }
        if (signed) {
            messageAuthenticators.verified(nas);
        }
        AccessRequestView view = new AccessRequestView(decoded, nas.profile());
        Optional<AccessRequestView.InvalidText> invalid = view.invalidText();
        AccessDecision decision;
        if (invalid.isPresent()) {
            // no lookup with a name PostgreSQL cannot hold: say why, count it, log nothing
            metrics.invalidText("access", invalid.get().problem());
            decision = AccessDecision.rejectSaying(invalid.get().message());
        } else {
            Optional<PrepaidAuthorization.Request> prepaid = prepaidAuthorization == null ? Optional.empty()
                    : prepaidAuthorization.recognize(view, nas);
            if (prepaid.isPresent()) {
                prepaidAccess(prepaid.get(), view, request, nas, dictionary, sender, reply);
                return;
            }
            decision = policy.decide(view);
        }
        answer(decision, request, nas, dictionary, reply);
    }

    /**
     * A prepaid authorization: answered when the engine has decided. An exact retransmission gets
     * the first one's answer, whether it is still being decided or was sent a moment ago.
     */
    private void prepaidAccess(PrepaidAuthorization.Request prepaid, AccessRequestView view, RadiusRequest request,
                               NasClient nas, Dictionary dictionary, InetSocketAddress sender, Consumer<ByteBuf> reply) {
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> earlier = duplicates.earlier(sender, request.getId() & 0xff,
                request.getAuthenticator(), mine);
        if (earlier != null) {
            metrics.request("access", "duplicate");
            earlier.thenAccept(bytes -> reply.accept(Unpooled.wrappedBuffer(bytes)));
            return;
        }
        CompletableFuture<AccessDecision> decided;
        try {
            decided = prepaidAuthorization.decide(prepaid, view, nas, policy);
        } catch (RuntimeException e) {
            mine.completeExceptionally(e); // a retransmission is decided again, not left waiting
            throw e;
        }
        decided.whenComplete((decision, failure) -> {
            try {
                if (failure != null) {
                    throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
                }
                ByteBuf out = encode(decision, request, nas, dictionary);
                byte[] bytes = new byte[out.readableBytes()];
                out.getBytes(out.readerIndex(), bytes);
                mine.complete(bytes);
                reply.accept(out);
                count(decision, request, nas);
            } catch (RadiusPacketException | RuntimeException e) {
                mine.completeExceptionally(e);
                metrics.drop(RadiusMetrics.Drop.INTERNAL_ERROR);
                log.warn("cannot answer a prepaid Access-Request from {}: {}", nas.name(), e.toString());
            }
        });
    }

    private void answer(AccessDecision decision, RadiusRequest request, NasClient nas, Dictionary dictionary,
                        Consumer<ByteBuf> reply) throws RadiusPacketException {
        reply.accept(encode(decision, request, nas, dictionary));
        count(decision, request, nas);
    }

    private ByteBuf encode(AccessDecision decision, RadiusRequest request, NasClient nas, Dictionary dictionary)
            throws RadiusPacketException {
        List<RadiusAttribute> attributes = replyAttributes(dictionary, decision.reply());
        attributes.addAll(request.filterAttributes(PROXY_STATE));
        byte type = decision.accept() ? PacketType.ACCESS_ACCEPT : PacketType.ACCESS_REJECT;
        RadiusResponse response = RadiusResponse.create(dictionary, type, request.getId(), null, attributes);
        return response.encodeResponse(nas.secret(), request.getAuthenticator()).toByteBuf();
    }

    private void count(AccessDecision decision, RadiusRequest request, NasClient nas) {
        metrics.request("access", decision.accept() ? "accept"
                : AccessPolicy.UNAVAILABLE.equals(decision.reason()) ? "unavailable" : "reject");
        if (log.isDebugEnabled()) {
            log.debug("Access-Request id {} from {}: {} ({})", request.getId() & 0xff, nas.name(),
                    decision.accept() ? "accept" : "reject", decision.reason());
        }
    }

    /** The accounting hot path: read from the bytes, answered once the record is durable. */
    private void accounting(byte[] raw, NasClient nas, InetSocketAddress sender, Consumer<ByteBuf> reply) {
        AccountingPacket packet;
        try {
            packet = AccountingPacket.parse(raw, dictionaries.forProfile(nas.profile()));
        } catch (AccountingPacket.MalformedException e) {
            metrics.drop(RadiusMetrics.Drop.MALFORMED);
            return;
        }
        byte[] secret = nas.secretBytes();
        if (!packet.authenticatorValid(secret)) {
            metrics.drop(RadiusMetrics.Drop.BAD_AUTHENTICATOR);
            return;
        }
        AccountingEvent event;
        try {
            event = AccountingEventMapper.map(packet, dictionaries.names(nas.profile()), nas,
                    plainAddress(sender.getAddress()), clock.instant(), p -> metrics.invalidText("accounting", p));
        } catch (IllegalArgumentException e) {
            metrics.drop(RadiusMetrics.Drop.MALFORMED);
            return;
        }
        byte[] response = packet.response(secret);
        String type = "accounting-" + event.status().name().toLowerCase();
        // an exact retransmission (a NAS that did not hear the answer in time) is answered as the
        // first once that is durable, and counted as a duplicate, not as one more record stored
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> earlier = duplicates.earlier(sender, raw[1] & 0xff,
                java.util.Arrays.copyOfRange(raw, 4, 20), mine);
        if (earlier != null) {
            metrics.request(type, "duplicate");
            earlier.thenAccept(bytes -> reply.accept(Unpooled.wrappedBuffer(bytes)));
            return;
        }
        sink.submit(event).whenComplete((ok, failure) -> {
            if (failure == null) {
                mine.complete(response);
                reply.accept(Unpooled.wrappedBuffer(response));
                metrics.request(type, "stored");
                if (prepaidAccounting != null) {
                    prepaidAccounting.stored(event); // after the answer: prepaid never delays it
                }
            } else {
                mine.completeExceptionally(failure); // a retransmission is tried again
                metrics.drop(RadiusMetrics.Drop.NOT_STORED);
            }
        });
    }

    /** The address without an IPv6 scope (fe80::1%eth0), which PostgreSQL's inet refuses. */
    private static String plainAddress(java.net.InetAddress address) {
        try {
            return java.net.InetAddress.getByAddress(address.getAddress()).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes always
        }
    }

    /** RFC 5997: Status-Server must carry a valid Message-Authenticator. */
    private void statusServer(Port port, RadiusRequest request, NasClient nas, Dictionary dictionary,
                              Consumer<ByteBuf> reply) throws RadiusPacketException {
        Optional<RadiusAttribute> ma = request.getAttributes().stream()
                .filter(a -> a.getVendorId() == -1 && a.getType() == MESSAGE_AUTHENTICATOR).findFirst();
        if (ma.isEmpty()) {
            metrics.drop(RadiusMetrics.Drop.MISSING_MESSAGE_AUTHENTICATOR);
            return;
        }
        byte[] expected = MessageAuthSupport.getHmacMd5(nas.secret())
                .doFinal(MessageAuthSupport.calcMessageAuthInput(request, request.getAuthenticator()));
        if (!java.security.MessageDigest.isEqual(expected, ma.get().getValue())) {
            metrics.drop(RadiusMetrics.Drop.BAD_AUTHENTICATOR);
            return;
        }
        byte type = port == Port.AUTH ? PacketType.ACCESS_ACCEPT : PacketType.ACCOUNTING_RESPONSE;
        List<RadiusAttribute> attrs = new ArrayList<>(List.of(
                dictionary.createAttribute("Reply-Message", "Tollgate RADIUS is up")));
        RadiusResponse response = RadiusResponse.create(dictionary, type, request.getId(), null, attrs);
        if (type == PacketType.ACCOUNTING_RESPONSE) {
            response = withMessageAuthenticator(response, nas.secret(), request.getAuthenticator(), dictionary);
        }
        reply.accept(response.encodeResponse(nas.secret(), request.getAuthenticator()).toByteBuf());
        metrics.request("status-server", "alive");
    }

    private static RadiusResponse withMessageAuthenticator(RadiusResponse response, String secret, byte[] requestAuth,
                                                           Dictionary dictionary) throws RadiusPacketException {
        List<RadiusAttribute> attrs = new ArrayList<>(response.getAttributes());
        attrs.add(dictionary.createAttribute(-1, MESSAGE_AUTHENTICATOR, new byte[16]));
        RadiusResponse zeroed = RadiusResponse.create(dictionary, response.getType(), response.getId(), null, attrs);
        byte[] mac = MessageAuthSupport.getHmacMd5(secret)
                .doFinal(MessageAuthSupport.calcMessageAuthInput(zeroed, requestAuth));
        attrs.set(attrs.size() - 1, dictionary.createAttribute(-1, MESSAGE_AUTHENTICATOR, mac));
        return RadiusResponse.create(dictionary, response.getType(), response.getId(), null, attrs);
    }

    private static boolean hasMessageAuthenticator(RadiusRequest request) {
        return request.getAttributes().stream()
                .anyMatch(a -> a.getVendorId() == -1 && a.getType() == MESSAGE_AUTHENTICATOR);
    }

    /** FreeRADIUS reply operators: {@code =} adds unless present, {@code :=} replaces, {@code +=} appends. */
    static List<RadiusAttribute> replyAttributes(Dictionary dictionary, List<AttributeItem> items) {
        List<RadiusAttribute> out = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (AttributeItem item : items) {
            if (item.value().isEmpty()) {
                continue;
            }
            RadiusAttribute attr;
            try {
                attr = dictionary.createAttribute(item.attribute(), item.value());
            } catch (RuntimeException e) {
                log.warn("reply item {} cannot be encoded: {}", item.attribute(), e.getMessage());
                continue;
            }
            if (attr.getVendorId() != -1) {
                attr = new VendorSpecificAttribute(dictionary, attr.getVendorId(), List.of(attr));
            }
            int existing = names.indexOf(item.attribute());
            switch (item.op()) {
                case ":=" -> {
                    for (int i = names.size() - 1; i >= 0; i--) {
                        if (names.get(i).equals(item.attribute())) {
                            names.remove(i);
                            out.remove(i);
                        }
                    }
                    names.add(item.attribute());
                    out.add(attr);
                }
                case "=" -> {
                    if (existing < 0) {
                        names.add(item.attribute());
                        out.add(attr);
                    }
                }
                default -> {
                    names.add(item.attribute());
                    out.add(attr);
                }
            }
        }
        return out;
    }

    /** Netty glue: copies the datagram and runs the handler, Access-Requests on the worker group. */
    @ChannelHandler.Sharable
    public static final class Bound extends SimpleChannelInboundHandler<DatagramPacket> {
        private final RadiusPacketHandler handler;
        private final Port port;
        private final EventExecutorGroup workers;

        public Bound(RadiusPacketHandler handler, Port port, EventExecutorGroup workers) {
            this.handler = handler;
            this.port = port;
            this.workers = workers;
        }

        private final java.util.Map<Channel, ResponseOutbox> outboxes = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf copy = Unpooled.copiedBuffer(packet.content());
            InetSocketAddress sender = packet.sender();
            ResponseOutbox outbox = outboxes.computeIfAbsent(ctx.channel(), ResponseOutbox::new);
            Runnable work = () -> handler.handle(port, copy, sender, out -> outbox.send(new DatagramPacket(out, sender)));
            if (workers == null) {
                work.run();
            } else {
                workers.execute(work);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.warn("RADIUS socket error: {}", cause.toString());
        }
    }
}
