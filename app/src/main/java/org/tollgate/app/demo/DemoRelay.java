package org.tollgate.app.demo;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.tollgate.proxy.media.NgClient;

/**
 * The demo's media relay: rtpengine in userspace when it is installed ({@code apt-get install
 * rtpengine-daemon}), its media timeout {@link #TIMEOUT_SECONDS}, its teardown callback pointed
 * at the platform's admin API. Without it the demo skips the call whose media stops.
 */
final class DemoRelay implements AutoCloseable {

    static final int TIMEOUT_SECONDS = 3;

    private final int ngPort;
    private Process process;

    private DemoRelay(int ngPort) {
        this.ngPort = ngPort;
    }

    /** A relay to start once the platform is up, or null when rtpengine is not installed. */
    static DemoRelay ifInstalled() throws IOException {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "rtpengine"))) {
                try (DatagramSocket s = new DatagramSocket(0)) {
                    return new DemoRelay(s.getLocalPort());
                }
            }
        }
        return null;
    }

    /** Its ng control address, for tollgate.proxy.media.relays. */
    String ng() {
        return "127.0.0.1:" + ngPort;
    }

    /** Starts it, calling back {@code httpPort}'s /api/rtpengine; waits until it answers a ping. */
    void start(int httpPort, Path log) throws IOException, InterruptedException {
        int cli;
        try (ServerSocket s = new ServerSocket(0)) {
            cli = s.getLocalPort();
        }
        process = new ProcessBuilder("rtpengine", "--config-file=none", "--table=-1", "--interface=127.0.0.1", "--listen-ng=" + ng(),
                "--listen-cli=127.0.0.1:" + cli, "--port-min=46000", "--port-max=46999",
                "--timeout=" + TIMEOUT_SECONDS, "--delete-delay=0", "--foreground", "--log-stderr",
                "--b2b-url=http://127.0.0.1:" + httpPort + "/api/rtpengine", "--xmlrpc-format=1",
                "--pidfile=" + log.resolveSibling("rtpengine.pid"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        InetSocketAddress at = new InetSocketAddress("127.0.0.1", ngPort);
        try (NgClient client = new NgClient(List.of(at), Duration.ofMillis(300), 1)) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!client.ping(at)) {
                if (System.nanoTime() > end || !process.isAlive()) {
                    throw new DemoFailure("rtpengine did not start (see " + log + ")");
                }
                Thread.sleep(100);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
