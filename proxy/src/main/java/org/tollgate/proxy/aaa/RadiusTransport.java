package org.tollgate.proxy.aaa;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.Future;
import org.tinyradius.core.dictionary.Dictionary;
import org.tinyradius.core.packet.request.RadiusRequest;
import org.tinyradius.core.packet.response.RadiusResponse;
import org.tinyradius.io.RadiusEndpoint;
import org.tinyradius.io.client.RadiusClient;
import org.tinyradius.io.client.handler.ClientDatagramCodec;
import org.tinyradius.io.client.handler.PromiseAdapter;
import org.tinyradius.io.client.timeout.FixedTimeoutHandler;

/**
 * One UDP socket to a list of RADIUS servers. Each request is retransmitted (FixedTimeoutHandler)
 * and then failed over to the next server. The server that last answered is tried first, so a
 * dead primary costs the retransmission time once rather than on every request; after
 * {@link #PRIMARY_RETRY_NANOS} the primary gets its turn again. Answers are matched by the
 * Proxy-State TinyRadius's PromiseAdapter adds and their Response Authenticator is verified.
 */
final class RadiusTransport implements AutoCloseable {

    static final long PRIMARY_RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final List<RadiusEndpoint> endpoints = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final EventLoopGroup group;
    private final HashedWheelTimer timer;
    private final RadiusClient client;
    private final AtomicInteger nextId = new AtomicInteger();
    private final AtomicInteger preferred = new AtomicInteger();
    private final AtomicLong preferredSince = new AtomicLong(System.nanoTime());
    private final Set<CompletableFuture<RadiusResponse>> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    RadiusTransport(String name, Dictionary dictionary, List<RadiusClientSettings.Server> servers,
                    java.time.Duration timeout, int tries) {
        for (RadiusClientSettings.Server s : servers) {
            InetSocketAddress address = new InetSocketAddress(s.host(), s.port());
            if (address.isUnresolved()) {
                throw new IllegalArgumentException("RADIUS server " + s + ": cannot resolve " + s.host());
            }
            endpoints.add(new RadiusEndpoint(address, s.secret()));
            names.add(s.toString());
        }
        ThreadFactory threads = daemon(name);
        group = new NioEventLoopGroup(1, threads);
        timer = new HashedWheelTimer(daemon(name + "-timer"), 10, TimeUnit.MILLISECONDS);
        // the server answers a committed batch at once: a default-sized receive buffer drops most of it
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(io.netty.channel.ChannelOption.SO_RCVBUF, 4 << 20)
                .option(io.netty.channel.ChannelOption.SO_SNDBUF, 4 << 20);
        client = new RadiusClient(bootstrap, new InetSocketAddress(0),
                new FixedTimeoutHandler(timer, tries, (int) timeout.toMillis()),
                new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new ClientDatagramCodec(dictionary), new PromiseAdapter());
                    }
                });
    }

    byte nextId() {
        return (byte) nextId.getAndIncrement();
    }

    /** The answer, or an exception when no server answered (or the transport closed). */
    CompletableFuture<RadiusResponse> send(RadiusRequest request) {
        return send(request, true);
    }

    /** {@code failover} false: only the server in use is asked (retransmitted, but not failed over). */
    CompletableFuture<RadiusResponse> send(RadiusRequest request, boolean failover) {
        CompletableFuture<RadiusResponse> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new IOException("RADIUS client closed"));
            return result;
        }
        pending.add(result);
        result.whenComplete((r, e) -> pending.remove(result));
        int first = preferred.get();
        if (first != 0 && System.nanoTime() - preferredSince.get() > PRIMARY_RETRY_NANOS) {
            first = 0;
        }
        attempt(request, first, 0, failover ? endpoints.size() : 1, result, null);
        return result;
    }

    private void attempt(RadiusRequest request, int first, int n, int servers, CompletableFuture<RadiusResponse> result,
                         Throwable last) {
        if (n >= servers) {
            result.completeExceptionally(new IOException("no RADIUS server answered (" + String.join(", ", names) + ")", last));
            return;
        }
        if (closed || result.isDone()) {
            result.completeExceptionally(new IOException("RADIUS client closed"));
            return;
        }
        int index = (first + n) % endpoints.size();
        Future<RadiusResponse> f = client.communicate(request, endpoints.get(index));
        f.addListener(done -> {
            if (done.isSuccess()) {
                if (preferred.getAndSet(index) != index) {
                    preferredSince.set(System.nanoTime());
                }
                result.complete(f.getNow());
            } else {
                attempt(request, first, n + 1, servers, result, done.cause());
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        client.close();
        for (CompletableFuture<RadiusResponse> f : List.copyOf(pending)) {
            f.completeExceptionally(new IOException("RADIUS client closed"));
        }
        timer.stop();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
