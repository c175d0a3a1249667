package org.tollgate.aaa.radius.server;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP side: binds the authentication and accounting ports and hands datagrams to a
 * {@link RadiusPacketHandler}. With epoll several sockets share each port (SO_REUSEPORT) so
 * reads spread over cores.
 */
public class RadiusServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RadiusServer.class);

    private final EventLoopGroup group;
    private final EventExecutorGroup authWorkers;
    private final List<Channel> channels = new ArrayList<>();
    private final int authPort;
    private final int acctPort;

    public RadiusServer(RadiusServerSettings settings, RadiusPacketHandler handler) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        int sockets = epoll ? Math.max(1, settings.ioThreads()) : 1;
        group = epoll ? new EpollEventLoopGroup(sockets * 2) : new NioEventLoopGroup(2);
        authWorkers = new DefaultEventExecutorGroup(Math.max(1, settings.authThreads()));
        Bootstrap b = new Bootstrap().group(group)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
                .option(ChannelOption.SO_SNDBUF, 4 * 1024 * 1024);
        if (epoll) {
            // recvmmsg: up to 32 datagrams per system call under load
            b.option(EpollChannelOption.SO_REUSEPORT, true)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 4096)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new io.netty.channel.FixedRecvByteBufAllocator(32 * 4096));
        }
        try {
            authPort = bind(b, settings.bindAddress(), settings.authPort(), sockets,
                    new RadiusPacketHandler.Bound(handler, RadiusPacketHandler.Port.AUTH, authWorkers));
            acctPort = bind(b, settings.bindAddress(), settings.acctPort(), sockets,
                    new RadiusPacketHandler.Bound(handler, RadiusPacketHandler.Port.ACCT, null));
        } catch (RuntimeException | InterruptedException e) {
            close(); // a port in use must not leave threads holding the other one
            throw e;
        }
        log.info("RADIUS listening on {}: auth {}/udp, acct {}/udp ({} socket(s) per port, {})",
                settings.bindAddress(), authPort, acctPort, sockets, epoll ? "epoll" : "nio");
    }

    private int bind(Bootstrap b, String address, int port, int sockets, RadiusPacketHandler.Bound handler)
            throws InterruptedException {
        Channel first = b.clone().handler(handler).bind(new InetSocketAddress(address, port)).sync().channel();
        channels.add(first);
        int actual = ((InetSocketAddress) first.localAddress()).getPort();
        for (int i = 1; i < sockets; i++) {
            channels.add(b.clone().handler(handler).bind(new InetSocketAddress(address, actual)).sync().channel());
        }
        return actual;
    }

    public int authPort() {
        return authPort;
    }

    public int acctPort() {
        return acctPort;
    }

    @Override
    public void close() {
        channels.forEach(c -> c.close().syncUninterruptibly());
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        authWorkers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
