package org.tollgate.tests.bench;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * RADIUS load generator: accounting (unique Start/Stop records, each answered only once
 * durable) or PAP authentication, over a few UDP sockets with a bounded window of outstanding
 * requests per socket, optionally paced to a fixed rate. Packets are built before the run, so
 * the generator's CPU goes to the sockets. Reports throughput, latency percentiles and
 * unanswered requests. Bounded in time; talks only to the given host.
 */
@Command(name = "radius-load", mixinStandardHelpOptions = true)
public class RadiusLoad implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--port", required = true, description = "acct or auth port of the server")
    int port;

    @Option(names = "--secret", defaultValue = "testing123")
    String secret;

    @Option(names = "--mode", defaultValue = "acct", description = "acct or pap")
    String mode;

    @Option(names = "--user", defaultValue = "bench", description = "PAP user name")
    String user;

    @Option(names = "--password", defaultValue = "bench-password")
    String password;

    @Option(names = "--seconds", defaultValue = "20", description = "measured duration")
    int seconds;

    @Option(names = "--warmup", defaultValue = "5", description = "seconds of load before measuring")
    int warmup;

    @Option(names = "--sockets", defaultValue = "2")
    int sockets;

    @Option(names = "--window", defaultValue = "128", description = "outstanding requests per socket (max 255)")
    int window;

    @Option(names = "--rate", defaultValue = "0", description = "requests/s over all sockets; 0 = as fast as the window allows")
    int rate;

    @Option(names = "--max-rate", defaultValue = "60000", description = "packets built per second of run when --rate is 0")
    int maxRate;

    @Option(names = "--timeout-ms", defaultValue = "5000", description = "a request unanswered this long after the run is lost")
    int timeoutMs;

    @Option(names = "--verify-jdbc", description = "after an acct run, count this run's rows in acc_event at this JDBC URL")
    String verifyJdbc;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final Histogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(30), 3);
    private volatile boolean measuring;
    private volatile boolean sending = true;
    private volatile boolean running = true;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RadiusLoad()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (window < 1 || window > 255) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--window must be 1..255");
        }
        byte[] secretBytes = secret.getBytes(StandardCharsets.UTF_8);
        String runId = Long.toString(System.currentTimeMillis(), 36);
        long total = warmup + seconds + 1L;
        int perSocket = (int) Math.min(50_000_000L, (rate > 0 ? rate : maxRate) * total / sockets + 256);
        List<Worker> workers = new ArrayList<>();
        for (int s = 0; s < sockets; s++) {
            byte[][] packets = new byte[perSocket][];
            for (int i = 0; i < perSocket; i++) {
                int id = i & 0xff;
                packets[i] = mode.equals("pap") ? pap(id, secretBytes) : accounting(id, secretBytes, runId, s, i);
            }
            workers.add(new Worker(s, packets, rate > 0 ? (long) (1e9 * sockets / rate) : 0));
        }
        List<Thread> threads = new ArrayList<>();
        for (Worker w : workers) {
            Thread t = new Thread(w, "load-" + w.socketNo);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        Thread.sleep(warmup * 1000L);
        long startAnswered = answered.get();
        latency.reset();
        measuring = true;
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring = false;
        long elapsed = System.nanoTime() - t0;
        long inWindowAnswered = answered.get() - startAnswered;
        sending = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline && workers.stream().anyMatch(w -> w.outstanding() > 0)) {
            Thread.sleep(10);
        }
        running = false;
        for (Thread t : threads) {
            t.join(2000);
        }
        long unanswered = workers.stream().mapToLong(Worker::outstanding).sum();
        boolean ranOut = workers.stream().anyMatch(w -> w.next >= w.packets.length);
        double secs = elapsed / 1e9;
        System.out.printf("mode=%s sockets=%d window=%d rate=%s measured=%.1fs%s%n", mode, sockets, window,
                rate == 0 ? "max" : Integer.toString(rate), secs, ranOut ? " (ran out of packets: raise --max-rate)" : "");
        System.out.printf("sent=%d answered=%d unanswered=%d (whole run incl. %ds warm-up)%n", sent.get(),
                answered.get(), unanswered, warmup);
        System.out.printf("throughput=%.0f answered/s%n", inWindowAnswered / secs);
        System.out.printf("latency ms: p50=%.2f p90=%.2f p99=%.2f p99.9=%.2f max=%.2f%n",
                latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(90) / 1e6,
                latency.getValueAtPercentile(99) / 1e6, latency.getValueAtPercentile(99.9) / 1e6,
                latency.getMaxValue() / 1e6);
        System.out.printf("RESULT mode=%s sent=%d answered=%d unanswered=%d rate=%.0f p50=%.2f p99=%.2f%n", mode,
                sent.get(), answered.get(), unanswered, inWindowAnswered / secs,
                latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6);
        boolean lost = false;
        if (verifyJdbc != null && mode.equals("acct")) {
            try (var c = java.sql.DriverManager.getConnection(verifyJdbc);
                 var ps = c.prepareStatement("SELECT count(*) FROM acc_event WHERE acct_session_id LIKE ?")) {
                ps.setString(1, "bench-" + runId + "-%");
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    long rows = rs.getLong(1);
                    lost = rows < answered.get();
                    System.out.printf("VERIFY rows=%d answered=%d lost=%d%n", rows, answered.get(),
                            Math.max(0, answered.get() - rows));
                }
            }
        }
        return unanswered == 0 && !lost ? 0 : 1;
    }

    /** One socket, one thread: sends while the window allows, reads whatever has come back. */
    private final class Worker implements Runnable {
        final int socketNo;
        final byte[][] packets;
        final long intervalNanos;
        final long[] sentAt = new long[256];
        volatile int inflight;
        int next;

        Worker(int socketNo, byte[][] packets, long intervalNanos) {
            this.socketNo = socketNo;
            this.packets = packets;
            this.intervalNanos = intervalNanos;
        }

        int outstanding() {
            return inflight;
        }

        @Override
        public void run() {
            try (DatagramChannel ch = DatagramChannel.open(); Selector selector = Selector.open()) {
                ch.connect(new InetSocketAddress(host, port));
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ);
                ByteBuffer rx = ByteBuffer.allocateDirect(4096);
                long due = System.nanoTime();
                while (running) {
                    boolean progress = false;
                    // a packet's id slot must be free (its previous use answered) before it goes
                    while (sending && next < packets.length && inflight < window && sentAt[next & 0xff] == 0
                            && (intervalNanos == 0 || System.nanoTime() >= due)) {
                        long now = System.nanoTime();
                        if (ch.write(ByteBuffer.wrap(packets[next])) == 0) {
                            break;
                        }
                        sentAt[next & 0xff] = now;
                        inflight++;
                        next++;
                        due += intervalNanos;
                        sent.incrementAndGet();
                        progress = true;
                    }
                    while (true) {
                        rx.clear();
                        if (ch.read(rx) <= 0) {
                            break;
                        }
                        int id = rx.get(1) & 0xff;
                        long at = sentAt[id];
                        if (at == 0) {
                            continue; // a duplicate answer
                        }
                        sentAt[id] = 0;
                        inflight--;
                        answered.incrementAndGet();
                        if (measuring) {
                            latency.recordValue(Math.min(System.nanoTime() - at, latency.getHighestTrackableValue()));
                        }
                        progress = true;
                    }
                    if (!progress) {
                        long waitNanos = intervalNanos > 0 && sending ? due - System.nanoTime() : 1_000_000;
                        if (waitNanos > 50_000) {
                            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)));
                            selector.selectedKeys().clear();
                        }
                    }
                }
            } catch (Exception e) {
                e.printStackTrace();
            }
        }
    }

    private byte[] pap(int id, byte[] secret) {
        return new RadiusPackets().string(1, user).integer(4, 0x7f000001).integer(5, 1)
                .access(id, secret, password);
    }

    private static byte[] accounting(int id, byte[] secret, String runId, int socketNo, long seq) {
        boolean start = (seq & 1) == 0;
        long call = seq >> 1;
        String callId = "bench-" + runId + "-" + socketNo + "-" + call + "@127.0.0.1";
        RadiusPackets p = new RadiusPackets()
                .integer(40, start ? 1 : 2)
                .integer(6, 15)
                .integer(101, start ? 1 : 8)
                .integer(102, 200)
                .string(1, "alice@example.com")
                .string(31, "sip:alice@example.com")
                .string(30, "sip:bob@example.com")
                .string(107, "sip:bob@127.0.0.1:5062")
                .string(44, callId)
                .string(105, "from-" + call)
                .string(104, "to-" + call)
                .string(103, "1")
                .string(108, "127.0.0.1")
                .string(109, "5060")
                .integer(4, 0x7f000001)
                .integer(5, 5060)
                .integer(55, (int) (System.currentTimeMillis() / 1000))
                .integer(41, 0);
        return p.accounting(id, secret);
    }
}
