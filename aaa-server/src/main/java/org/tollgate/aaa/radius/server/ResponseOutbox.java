package org.tollgate.aaa.radius.server;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;

/**
 * Answers produced off the event loop (a committed accounting batch completes hundreds at once)
 * are queued and written in one event-loop task with one flush, instead of one wake-up each;
 * with epoll the flush goes out as sendmmsg.
 */
final class ResponseOutbox {

    private final Channel channel;
    private final ConcurrentLinkedQueue<DatagramPacket> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    ResponseOutbox(Channel channel) {
        this.channel = channel;
    }

    void send(DatagramPacket packet) {
        if (channel.eventLoop().inEventLoop()) {
            channel.writeAndFlush(packet);
            return;
        }
        queue.add(packet);
        if (scheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this::drain);
        }
    }

    private void drain() {
        scheduled.set(false);
        DatagramPacket p;
        while ((p = queue.poll()) != null) {
            channel.write(p);
        }
        channel.flush();
    }
}
