package org.tollgate.app.demo;

import java.io.PrintStream;
import java.io.StringReader;
import java.math.RoundingMode;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.tollgate.aaa.radius.auth.JdbcUserRepository;
import org.tollgate.aaa.radius.auth.Passwords;
import org.tollgate.aaa.radius.auth.RadiusUser;
import org.tollgate.api.net.Cidr;
import org.tollgate.aaa.radius.client.JdbcNasClientRepository;
import org.tollgate.aaa.radius.client.NasClient;
import org.tollgate.aaa.radius.client.NasClientRegistry;
import org.tollgate.aaa.radius.dictionary.DictionaryProfile;
import org.tollgate.rating.plan.JdbcRatePlans;
import org.tollgate.rating.plan.PlanSettings;
import org.tollgate.rating.tariff.Rounding;

/**
 * What an operator sets up before the first call, through the same repositories as
 * {@code nas add}, {@code user add}, {@code plan add}, {@code rates import} and {@code account add}.
 */
final class DemoProvisioning {

    static final String PLAN = "demo-retail";

    /** The tariff, in the CSV format {@code rates import} reads. Berlin is a longer prefix than Germany. */
    static final String RATES = """
            prefix,destination,band,connect_fee,price_per_minute,first_increment,next_increment,minimum_seconds,free_seconds,valid_from,valid_to
            49,Germany,*,0.0200,0.0600,30,6,0,0,,
            4930,Germany Berlin,*,0.0100,0.0400,30,6,0,0,,
            44,United Kingdom,*,0.0000,0.0800,60,60,0,0,,
            33,France,*,0.0000,0.0900,1,1,0,0,,
            """;

    /** A subscriber of the demo: a SIP user who is also a postpaid account. */
    record Subscriber(String name, String number, String password) {
    }

    private final DemoPlatform platform;
    private final PrintStream out;

    DemoProvisioning(DemoPlatform platform, PrintStream out) {
        this.platform = platform;
        this.out = out;
    }

    /** The proxy's RADIUS client, as {@code nas add --name demo-proxy --address 127.0.0.1} would add it. */
    void nas(String secret) {
        platform.bean(JdbcNasClientRepository.class).add(new NasClient("demo-proxy", Cidr.parse("127.0.0.1"), secret,
                "tollgate", DictionaryProfile.SIP_ACC, true));
        platform.bean(NasClientRegistry.class).reload();
        out.println("  NAS client   demo-proxy 127.0.0.1 (the SIP proxy's RADIUS client; Message-Authenticator required)");
    }

    void users(String domain, List<Subscriber> subscribers) {
        JdbcUserRepository users = platform.bean(JdbcUserRepository.class);
        for (Subscriber s : subscribers) {
            users.add(new RadiusUser(0, s.number(), domain, RadiusUser.Status.ACTIVE, null, Passwords.papHash(s.password()),
                    Passwords.ha1(s.number(), domain, s.password()), null, Set.of("voip", "pstn"), List.of(), List.of()));
            out.printf("  user         %s@%s (%s), groups voip,pstn, digest password set%n", s.number(), domain, s.name());
        }
    }

    void tariff() {
        JdbcRatePlans plans = platform.bean(JdbcRatePlans.class);
        plans.createPlan(new PlanSettings(PLAN, PlanSettings.currency("EUR"), new Rounding(4, RoundingMode.HALF_UP, false),
                false, List.of(), new TreeSet<>()));
        int n = plans.importRates(PLAN, "demo tariff", new StringReader(RATES.replace("\n", "\r\n")));
        out.printf("  rate plan    %s (EUR, 4 decimals, half-up) with %d rates:%n", PLAN, n);
        RATES.lines().skip(1).forEach(l -> {
            String[] f = l.split(",");
            out.printf("                 %-5s %-15s connect %s, %s/min, increments %s/%s s%n", f[0], f[1], f[3], f[4],
                    f[5], f[6]);
        });
    }

    void accounts(String domain, List<Subscriber> subscribers) {
        JdbcRatePlans plans = platform.bean(JdbcRatePlans.class);
        for (Subscriber s : subscribers) {
            plans.addAccount(s.number() + "@" + domain, PLAN, ZoneOffset.UTC);
            out.printf("  account      %s@%s, postpaid on %s (UTC)%n", s.number(), domain, PLAN);
        }
    }
}
