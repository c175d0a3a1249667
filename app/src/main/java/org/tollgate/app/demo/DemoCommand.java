package org.tollgate.app.demo;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.tollgate.app.TollgateMain;
import org.tollgate.app.cli.CdrOutput;
import org.tollgate.app.cli.RunSummaryOutput;
import org.tollgate.app.demo.DemoProvisioning.Subscriber;
import org.tollgate.cdr.job.CdrRunner;
import org.tollgate.cdr.job.RunSummary;
import org.tollgate.cdr.query.CdrFilter;
import org.tollgate.cdr.query.JdbcCdrQueries;
import org.tollgate.proxy.sip.SipEndpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tollgate demo}: the whole chain on a fresh, temporary platform — real SIP calls through
 * the proxy, their accounting over RADIUS into PostgreSQL, the CDR batch pairing and pricing
 * them, the CDRs and each account's statement — then everything stopped again.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = {
        "Start a temporary platform (own embedded PostgreSQL, free ports), provision a domain, users, a NAS",
        "client, a tariff and accounts, place real SIP calls through the proxy, run the CDR batch, print the",
        "CDRs and the statements, and stop. Takes about a minute; leaves nothing behind unless --keep-data."})
public class DemoCommand implements Callable<Integer> {

    static final String DOMAIN = "demo.example.org";

    @ParentCommand
    TollgateMain main;

    @Option(names = "--session-expires", paramLabel = "S", defaultValue = "10",
            description = "The proxy's session interval in seconds, so the vanished caller's call ends soon. Default: ${DEFAULT-VALUE}.")
    int sessionExpires;

    @Option(names = "--min-se", paramLabel = "S", defaultValue = "5",
            description = "The proxy's Min-SE in seconds (at least 1, at most --session-expires). Default: ${DEFAULT-VALUE}.")
    int minSe;

    @Option(names = "--no-answer-timeout", paramLabel = "S", defaultValue = "6",
            description = "Seconds a call may ring before the proxy cancels it (408). Default: ${DEFAULT-VALUE}.")
    int noAnswerTimeout;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-output",
            description = "Directory for the CSV and XLSX reports. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--keep-data", paramLabel = "DIR",
            description = "Keep the demo's PostgreSQL data, journal and spool in DIR (new or empty) instead of a "
                    + "temporary directory, e.g. for ./tollgate -Dtollgate.embedded-db.data-dir=DIR/pg cdr list.")
    Path keepData;

    @Override
    public Integer call() throws Exception {
        PrintStream o = System.out;
        String refusal = refusal();
        if (refusal != null) {
            System.err.println("demo: " + refusal);
            return 2;
        }
        long started = System.nanoTime();
        o.println("Tollgate demo: SIP calls -> proxy -> RADIUS accounting -> PostgreSQL -> CDR batch -> rating -> statement");
        String step = "starting the platform";
        List<AutoCloseable> open = new ArrayList<>();
        try {
            Path home = keepData != null ? Files.createDirectories(keepData) : Files.createTempDirectory("tollgate-demo");
            // the proxy's PSTN route needs the gateway's port; the gateway starts once logging is configured
            int gatewayPort = SipEndpoint.freePort(UdpSipStack.HOST);
            o.printf("%n1. Platform (embedded PostgreSQL in %s, AAA, SIP proxy, admin API)%n", home.resolve("pg"));
            String secret = HexFormat.of().formatHex(randomBytes(12));
            DemoRelay relay = DemoRelay.ifInstalled();
            DemoPlatform platform = DemoPlatform.start(home, keepData != null, settings(secret, gatewayPort, relay),
                    main.properties());
            open.add(platform);
            if (relay != null) {
                relay.start(platform.httpPort(), home.resolve("rtpengine.log"));
                open.add(0, relay);
            }
            DemoGateway gateway = new DemoGateway(gatewayPort, DemoCalls.gatewayPlan());
            open.add(0, gateway);
            o.printf("  RADIUS 127.0.0.1:%d (auth) :%d (acct), SIP proxy 127.0.0.1:%d for %s, admin API "
                            + "http://127.0.0.1:%d/actuator/health%n", platform.authPort(), platform.acctPort(),
                    platform.sipPort(), DOMAIN, platform.httpPort());
            o.printf("  session timer %d s (Min-SE %d s), no-answer timeout %d s; PSTN gateway 127.0.0.1:%d for 00…%n",
                    sessionExpires, minSe, noAnswerTimeout, gateway.port());
            o.println(relay != null
                    ? "  media relay: rtpengine " + relay.ng() + " (media timeout " + DemoRelay.TIMEOUT_SECONDS
                            + " s) for calls to " + DemoCalls.BERLIN_MEDIA_STOPS
                    : "  media relay: rtpengine is not installed (apt-get install rtpengine-daemon): the call whose "
                            + "media stops is skipped");

            step = "provisioning";
            o.printf("%n2. Provisioning%n");
            List<Subscriber> subscribers = List.of(subscriber("alice", "1001"), subscriber("bob", "1002"),
                    subscriber("carol", "1003"));
            Subscriber dave = subscriber("dave", "1004");
            DemoProvisioning provisioning = new DemoProvisioning(platform, o);
            provisioning.nas(secret);
            provisioning.users(DOMAIN, java.util.stream.Stream.concat(subscribers.stream(), java.util.stream.Stream.of(dave))
                    .toList());
            provisioning.tariff();
            provisioning.accounts(DOMAIN, subscribers);
            DemoPrepaid prepaid = new DemoPrepaid(platform, o);
            String daveAccount = dave.number() + "@" + DOMAIN;
            prepaid.provision(daveAccount);

            step = "registering the phones";
            o.printf("%n3. Phones register (REGISTER, 401 digest challenge, REGISTER with credentials)%n");
            List<SipPhone> phones = new ArrayList<>();
            for (Subscriber s : java.util.stream.Stream.concat(subscribers.stream(), java.util.stream.Stream.of(dave)).toList()) {
                SipPhone phone = new SipPhone(s.name(), s.number(), DOMAIN, s.password(), platform.sipPort());
                open.add(0, phone);
                phones.add(phone);
                int code = phone.register(Duration.ofSeconds(15));
                if (code != 200) {
                    throw new DemoFailure(phone.aor() + " could not register: " + code);
                }
                o.printf("  %s (%s) registered: 200 OK%n", phone.aor(), s.name());
            }

            step = "placing the calls";
            o.printf("%n4. Calls through the proxy (each INVITE challenged 407 and sent again with credentials)%n");
            List<DemoCalls.Placed> placed = new DemoCalls(gateway, o, Duration.ofSeconds(sessionExpires),
                    Duration.ofSeconds(noAnswerTimeout), relay != null)
                    .placeAll(phones.get(0), phones.get(1), phones.get(2));
            o.printf("%n4b. Prepaid calls (the same Access-Request carries the grant; the proxy asks again before it runs out)%n");
            placed = new ArrayList<>(placed);
            placed.addAll(prepaid.place(phones.get(3), gateway));

            step = "waiting for the accounting";
            JdbcTemplate jdbc = platform.jdbc();
            o.printf("%n5. Accounting: every call's Stop or Failed record stored in acc_event%n");
            awaitAccounting(jdbc, placed);
            o.printf("  %d records for %d calls%n", jdbc.queryForObject("SELECT count(*) FROM acc_event", Long.class),
                    placed.size());

            step = "running the CDR batch";
            o.printf("%n6. CDR batch (./tollgate batch run --until now): pairing and pricing%n");
            List<RunSummary> runs = platform.bean(CdrRunner.class).run(new CdrRunner.Request(null, null, Instant.now()), s -> { });
            for (RunSummary s : runs) {
                RunSummaryOutput.print(o, s);
                if (!s.completed() || s.pending() > 0) {
                    throw new DemoFailure("the CDR run did not complete every call (" + s.status() + ", "
                            + s.pending() + " waiting)");
                }
            }

            step = "listing the CDRs";
            o.printf("%n7. CDRs (./tollgate cdr list)%n");
            new CdrOutput(o, System.err, false).cdrs(platform.bean(JdbcCdrQueries.class)
                    .recent(CdrFilter.builder().limit(100).build()), "older ones are not shown");
            o.println();
            DemoOutcome.check(jdbc, placed, o);

            step = "the statement";
            o.printf("%n8. Statements%n");
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            DemoStatement.write(jdbc, subscribers.stream().map(s -> s.number() + "@" + DOMAIN).toList(),
                    today.minusDays(1), today, out, o);
            o.println();
            prepaid.ledger(jdbc, daveAccount);

            step = "stopping";
            o.printf("%n9. Stopping%n");
            closeAll(open);
            o.printf("  stopped%s%n", keepData == null ? "; temporary data removed"
                    : "; data kept in " + keepData.toAbsolutePath().normalize());
            o.printf("%nDemo done in %d s.%n", (System.nanoTime() - started) / 1_000_000_000L);
            return 0;
        } catch (Exception e) {
            o.flush();
            System.err.printf("%ndemo: failed while %s: %s%n", step, e.getMessage() == null ? e : e.getMessage());
            try {
                closeAll(open);
            } catch (Exception stop) {
                System.err.println("demo: stopping: " + stop.getMessage());
            }
            return 1;
        }
    }

    /** The proxy's settings for the demo; any -D given on the command line wins. */
    private Map<String, String> settings(String secret, int gatewayPort, DemoRelay relay) {
        Map<String, String> s = new LinkedHashMap<>();
        int route = 0;
        if (relay != null) {
            // only the media-timeout call goes through the relay: the others send no RTP, which it would time out
            s.put("tollgate.proxy.media.relays", relay.ng());
            s.put("tollgate.proxy.media.policy", "never");
            s.put("tollgate.proxy.media.relay-timeout", DemoRelay.TIMEOUT_SECONDS + "s");
            s.put("tollgate.proxy.media.poll-interval", "1s");
            s.put("tollgate.proxy.media.ping-interval", "1s");
            s.put("tollgate.proxy.pstn-routes[0].pattern", DemoCalls.BERLIN_MEDIA_STOPS);
            s.put("tollgate.proxy.pstn-routes[0].gateways[0]", "127.0.0.1:" + gatewayPort);
            s.put("tollgate.proxy.pstn-routes[0].media", "always");
            route = 1;
        }
        s.put("tollgate.proxy.domains", DOMAIN);
        s.put("tollgate.proxy.radius.secret", secret);
        // the demo adds the proxy's NAS client itself, as an operator would
        s.put("tollgate.proxy.radius.register-nas", "false");
        s.put("tollgate.proxy.session-expires", sessionExpires + "s");
        s.put("tollgate.proxy.min-se", minSe + "s");
        s.put("tollgate.proxy.no-answer-timeout", noAnswerTimeout + "s");
        // prepaid grants of 2 s, asked for again 1 s before they run out: the prepaid caller's 4 s take three
        s.put("tollgate.prepaid.quota", "2s");
        s.put("tollgate.proxy.prepaid.reauthorize-before", "1s");
        s.put("tollgate.proxy.pstn-routes[" + route + "].pattern", "00[1-9][0-9]+");
        s.put("tollgate.proxy.pstn-routes[" + route + "].gateways[0]", "127.0.0.1:" + gatewayPort);
        return s;
    }

    private String refusal() {
        if (main.properties().containsKey("spring.datasource.url") || System.getenv("SPRING_DATASOURCE_URL") != null) {
            return "the demo runs on its own temporary embedded PostgreSQL; it does not use spring.datasource.url";
        }
        if (minSe < 1 || sessionExpires < minSe) {
            return "--min-se must be at least 1 and --session-expires at least --min-se";
        }
        if (noAnswerTimeout < 1) {
            return "--no-answer-timeout must be at least 1";
        }
        if (keepData != null && Files.isDirectory(keepData) && keepData.toFile().list().length > 0) {
            return "--keep-data " + keepData + " is not empty";
        }
        return null;
    }

    private static void awaitAccounting(JdbcTemplate jdbc, List<DemoCalls.Placed> placed) {
        String marks = String.join(",", java.util.Collections.nCopies(placed.size(), "?"));
        Object[] ids = placed.stream().map(DemoCalls.Placed::callId).toArray();
        Waits.until(() -> jdbc.queryForObject("SELECT count(DISTINCT acct_session_id) FROM acc_event "
                + "WHERE status IN ('STOP', 'FAILED') AND acct_session_id IN (" + marks + ")", Integer.class, ids)
                == placed.size(), Duration.ofSeconds(20), "the accounting of every call");
    }

    private static Subscriber subscriber(String name, String number) {
        return new Subscriber(name, number, HexFormat.of().formatHex(randomBytes(8)));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** In the order given: phones, then the gateway, the platform last, so nothing is left sending to a stopped proxy. */
    private static void closeAll(List<AutoCloseable> open) throws Exception {
        Exception first = null;
        while (!open.isEmpty()) {
            try {
                open.remove(0).close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
