package org.tollgate.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import org.tollgate.tests.bench.RadiusPackets;

/**
 * A NAS sending a steady stream of accounting from one socket: one new Accounting-Request Start
 * every {@code 1/rate} seconds, Acct-Session-Id {@code prefix-<n>}. The request's number also
 * goes in Proxy-State, which the server copies into its answer, so answers are matched although
 * RADIUS identifiers wrap. No retransmissions: each request's answer time is what the NAS saw on
 * its first try.
 */
public final class AccountingStream implements AutoCloseable {

    private static final int MAX = 100_000;
    private static final int PROXY_STATE = 33;

    private final int port;
    private final byte[] secret;
    private final String prefix;
    private final long periodNanos;
    private final DatagramChannel channel;
    private final AtomicLongArray sentAt = new AtomicLongArray(MAX);
    private final AtomicLongArray answeredAt = new AtomicLongArray(MAX);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean sending = true;
    private volatile boolean receiving = true;
    private volatile int sent;

    public AccountingStream(int port, String secret, String prefix, int ratePerSecond) {
        this.port = port;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.prefix = prefix;
        this.periodNanos = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        try {
            channel = DatagramChannel.open();
            // a journaled batch is answered all at once: hundreds of answers in one burst would
            // overflow the default receive buffer (about 160 datagrams) and look like lost answers
            channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
            channel.connect(new InetSocketAddress("127.0.0.1", port));
            channel.socket().setSoTimeout(200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts sending and listening. */
    public AccountingStream start() {
        threads.add(daemon("acct-stream-rx", this::receive));
        threads.add(daemon("acct-stream-tx", this::send));
        return this;
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void send() {
        long next = System.nanoTime();
        long eventTime = System.currentTimeMillis() / 1000;
        for (int seq = 0; sending && seq < MAX; seq++) {
            LockSupport.parkNanos(next - System.nanoTime());
            next += periodNanos;
            byte[] packet = new RadiusPackets().integer(40, 1).string(44, sessionId(seq)).string(1, "stream")
                    .integer(55, (int) eventTime).integer(PROXY_STATE, seq).accounting(seq & 0xff, secret);
            sentAt.set(seq, System.nanoTime());
            try {
                channel.write(ByteBuffer.wrap(packet));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sent = seq + 1;
        }
    }

    private void receive() {
        byte[] buf = new byte[4096];
        java.net.DatagramPacket packet = new java.net.DatagramPacket(buf, buf.length);
        while (receiving) {
            try {
                channel.socket().receive(packet);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return; // closed
            }
            long now = System.nanoTime();
            // Accounting-Response whose only attribute is our Proxy-State: the request's number
            if (packet.getLength() == 26 && buf[0] == 5 && buf[20] == PROXY_STATE && buf[21] == 6) {
                int seq = ByteBuffer.wrap(buf, 22, 4).getInt();
                if (seq >= 0 && seq < MAX) {
                    answeredAt.compareAndSet(seq, 0, now);
                }
            }
        }
    }

    public String sessionId(int seq) {
        return prefix + "-" + seq;
    }

    /** Stops sending; answers are still collected until {@link #close()}. */
    public void stopSending() {
        sending = false;
        try {
            threads.get(threads.size() - 1).join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Requests sent so far. */
    public int sent() {
        return sent;
    }

    /** Waits up to {@code millis} for every request sent to be answered; true if they all were. */
    public boolean awaitAnswers(long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            if (unanswered().isEmpty()) {
                return true;
            }
            Thread.sleep(50);
        }
        return unanswered().isEmpty();
    }

    /** Sequence numbers of requests without an answer. */
    public List<Integer> unanswered() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < sent; i++) {
            if (answeredAt.get(i) == 0) {
                out.add(i);
            }
        }
        return out;
    }

    /** The longest time a request waited for its answer, in milliseconds (unanswered ones excluded). */
    public long maxLatencyMillis() {
        long max = 0;
        for (int i = 0; i < sent; i++) {
            long a = answeredAt.get(i);
            if (a != 0) {
                max = Math.max(max, a - sentAt.get(i));
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(max);
    }

    /** How many answered requests waited longer than {@code millis}. */
    public long slowerThan(long millis) {
        long limit = TimeUnit.MILLISECONDS.toNanos(millis);
        long n = 0;
        for (int i = 0; i < sent; i++) {
            long a = answeredAt.get(i);
            if (a != 0 && a - sentAt.get(i) > limit) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        sending = false;
        receiving = false;
        for (Thread t : threads) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public String toString() {
        return "AccountingStream to port " + port + ": " + sent + " sent, " + unanswered().size() + " unanswered, max "
                + maxLatencyMillis() + " ms";
    }
}
