package org.tollgate.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Kamailio as Debian ships it (5.6, {@code kamailio} and {@code kamailio-radius-modules},
 * radcli 1.2) in front of a Tollgate RADIUS server: digest authentication with
 * {@code auth_radius}, accounting with {@code acc_radius} ({@code rad_time_mode} 1: sub-second
 * Event-Timestamp as text), the radcli dictionary an operator puts together from the packages'
 * own files (radcli's {@code dictionary} and {@code dictionary.sip}, Kamailio's
 * {@code dictionary.kamailio}) and the lines the modules ask for; nothing of Tollgate's. Calls to a registered user go where it
 * registered.
 */
public final class Kamailio implements AutoCloseable {

    /** The domain (digest realm) it serves. */
    public static final String DOMAIN = "kamailio.test";

    private static final String MODULES = "/usr/lib/x86_64-linux-gnu/kamailio/modules/";

    private final Path dir;
    private final Process process;
    private final int port;

    /** Listening on a free UDP port of 127.0.0.1; RADIUS to {@code authPort}/{@code acctPort} with {@code secret}. */
    public Kamailio(int authPort, int acctPort, String secret) {
        try {
            dir = Files.createTempDirectory("kamailio");
            port = freeUdpPort();
            Files.writeString(dir.resolve("servers"), "127.0.0.1 " + secret + "\n");
            // what the modules need beyond the packages' files: auth_radius the Sip-Session service type,
            // acc_radius's failed calls their status, rad_time_mode 1 Event-Timestamp as a string; and
            // the source address as a string: declared ipv4addr (radcli's dictionary.sip), acc_radius
            // hands radcli the address's text and the first four characters go out as the address
            Files.writeString(dir.resolve("dictionary"), """
                    $INCLUDE /etc/radcli/dictionary
                    $INCLUDE /etc/radcli/dictionary.sip
                    $INCLUDE /etc/kamailio/dictionary.kamailio
                    VALUE Service-Type Sip-Session 15
                    VALUE Acct-Status-Type Failed 15
                    ATTRIBUTE Event-Timestamp 55 string
                    ATTRIBUTE Sip-Source-IP-Address 108 string
                    """);
            Files.writeString(dir.resolve("radiusclient.conf"), """
                    authserver 127.0.0.1:%d
                    acctserver 127.0.0.1:%d
                    servers %s
                    dictionary %s
                    default_realm
                    radius_timeout 3
                    radius_retries 1
                    bindaddr *
                    """.formatted(authPort, acctPort, dir.resolve("servers"), dir.resolve("dictionary")));
            Files.writeString(dir.resolve("kamailio.cfg"), config(port, dir.resolve("radiusclient.conf")));
            process = new ProcessBuilder("kamailio", "-f", dir.resolve("kamailio.cfg").toString(), "-DD", "-E",
                    "-m", "64", "-M", "8", "-Y", dir.toString(), "-P", dir.resolve("kamailio.pid").toString(),
                    "-w", dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("kamailio.log").toFile()).start();
            waitListening();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether Kamailio is installed here (the tests that need it say so when it is not). */
    public static boolean installed() {
        return Files.isExecutable(Path.of("/usr/sbin/kamailio")) && Files.exists(Path.of(MODULES, "acc_radius.so"));
    }

    public int port() {
        return port;
    }

    /** What it logged so far. */
    public String log() {
        try {
            return Files.readString(dir.resolve("kamailio.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private void waitListening() throws IOException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kamailio did not start:\n" + log());
            }
            try (DatagramSocket probe = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                // still free: not listening yet
            } catch (IOException bound) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("kamailio is not listening on " + port + ":\n" + log());
    }

    private static String config(int port, Path radius) {
        return """
                #!KAMAILIO
                debug=2
                log_stderror=yes
                children=2
                listen=udp:127.0.0.1:%1$d
                alias="%3$s"
                auto_aliases=no
                mpath="%4$s"

                loadmodule "tm.so"
                loadmodule "sl.so"
                loadmodule "rr.so"
                loadmodule "pv.so"
                loadmodule "maxfwd.so"
                loadmodule "usrloc.so"
                loadmodule "registrar.so"
                loadmodule "textops.so"
                loadmodule "siputils.so"
                loadmodule "xlog.so"
                loadmodule "kex.so"
                loadmodule "corex.so"
                loadmodule "auth.so"
                loadmodule "auth_radius.so"
                loadmodule "acc.so"
                loadmodule "acc_radius.so"

                modparam("usrloc", "db_mode", 0)
                modparam("rr", "append_fromtag", 1)
                modparam("auth_radius", "radius_config", "%2$s")
                modparam("acc", "early_media", 0)
                modparam("acc", "report_cancels", 0)
                modparam("acc", "detect_direction", 1)
                modparam("acc", "failed_transaction_flag", 3)
                modparam("acc_radius", "radius_config", "%2$s")
                modparam("acc_radius", "radius_flag", 1)
                modparam("acc_radius", "radius_missed_flag", 2)
                modparam("acc_radius", "rad_time_mode", 1)
                modparam("acc_radius", "radius_extra", "User-Name=$avp(billed);Calling-Station-Id=$fu;Called-Station-Id=$tu;Sip-Translated-Request-URI=$ru;Sip-Source-IP-Address=$si;Sip-Source-Port=$sp")

                request_route {
                    if (!mf_process_maxfwd_header("10")) {
                        sl_send_reply("483", "Too Many Hops");
                        exit;
                    }
                    if (has_totag()) {
                        if (loose_route()) {
                            if (is_method("BYE")) {
                                setflag(1);
                                setflag(3);
                            }
                            t_relay();
                            exit;
                        }
                        if (is_method("ACK") && t_check_trans()) {
                            t_relay();
                        }
                        exit;
                    }
                    if (is_method("CANCEL")) {
                        if (t_check_trans()) {
                            t_relay();
                        }
                        exit;
                    }
                    if (is_method("REGISTER")) {
                        if (!radius_www_authorize("%3$s")) {
                            www_challenge("%3$s", "0");
                            exit;
                        }
                        save("location");
                        exit;
                    }
                    if (is_method("INVITE")) {
                        if (!radius_proxy_authorize("%3$s")) {
                            proxy_challenge("%3$s", "0");
                            exit;
                        }
                        $avp(billed) = $fU + "@" + $fd;
                        consume_credentials();
                        record_route();
                        setflag(1);
                        setflag(2);
                        setflag(3);
                        if (!lookup("location")) {
                            t_reply("404", "Not Found");
                            exit;
                        }
                        t_relay();
                        exit;
                    }
                    sl_send_reply("405", "Method Not Allowed");
                }
                """.formatted(port, radius, DOMAIN, MODULES);
    }

    private static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // its children outlive the main process when it is killed: stop them by the pid file's group
        try {
            new ProcessBuilder("pkill", "-f", dir.resolve("kamailio.cfg").toString()).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // best effort
        }
    }
}
