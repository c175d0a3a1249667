package org.tollgate.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.tollgate.proxy.media.NgClient;

/** A real rtpengine for the tests, in userspace ({@code --table=-1}), and an ng client to ask it things. */
public final class Rtpengine implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int ngPort;
    private final NgClient client;

    public Rtpengine(int portMin, int portMax, int timeoutSeconds) {
        this(freeUdpPort(), portMin, portMax, timeoutSeconds);
    }

    /** On a chosen ng port, with more command-line options (e.g. {@code --b2b-url=...}). */
    public Rtpengine(int ngPort, int portMin, int portMax, int timeoutSeconds, String... more) {
        try {
            this.ngPort = ngPort;
            log = Files.createTempFile("rtpengine", ".log");
            List<String> command = new java.util.ArrayList<>(List.of("rtpengine", "--config-file=none", "--table=-1", "--interface=127.0.0.1",
                    "--listen-ng=127.0.0.1:" + ngPort, "--port-min=" + portMin, "--port-max=" + portMax,
                    "--timeout=" + timeoutSeconds, "--delete-delay=0", "--foreground", "--log-stderr",
                    "--listen-cli=127.0.0.1:" + freeTcpPort(), // its default port may be another's
                    "--pidfile=" + log.resolveSibling(log.getFileName() + ".pid")));
            command.addAll(List.of(more));
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            InetSocketAddress at = new InetSocketAddress("127.0.0.1", ngPort);
            client = new NgClient(List.of(at), Duration.ofMillis(300), 2);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!client.ping(at)) {
                if (System.nanoTime() > end || !process.isAlive()) {
                    throw new IllegalStateException("rtpengine did not start: " + Files.readString(log));
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Its ng control address, {@code 127.0.0.1:port}. */
    public String ng() {
        return "127.0.0.1:" + ngPort;
    }

    /** The call ids it relays now ({@code list}). */
    @SuppressWarnings("unchecked")
    public List<String> calls() {
        Map<String, Object> a = client.send(Map.of("command", "list")).join();
        return (List<String>) a.getOrDefault("calls", List.of());
    }

    /** Its answer to {@code query} for a call. */
    public Map<String, Object> query(String callId) {
        return client.send(Map.of("command", "query", "call-id", callId)).join();
    }

    @Override
    public void close() {
        client.close();
        process.destroy();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freeTcpPort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
