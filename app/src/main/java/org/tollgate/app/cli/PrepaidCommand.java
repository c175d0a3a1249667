package org.tollgate.app.cli;

import java.util.List;
import java.util.concurrent.Callable;

import org.tollgate.app.TollgateMain;
import org.tollgate.prepaid.reservation.OpenReservations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tollgate prepaid sessions}: the prepaid calls holding money now. */
@Command(name = "prepaid", mixinStandardHelpOptions = true, description = "Prepaid calls in progress.",
        subcommands = {PrepaidCommand.Sessions.class})
public class PrepaidCommand {

    @ParentCommand
    TollgateMain main;

    @Command(name = "sessions", mixinStandardHelpOptions = true,
            description = "Open reservations: calls authorized and not yet ended, with the money each holds.")
    static class Sessions implements Callable<Integer> {
        @ParentCommand
        PrepaidCommand parent;

        @Option(names = "--account", paramLabel = "A")
        String account;

        @Option(names = "--limit", defaultValue = "1000", paramLabel = "N")
        int limit;

        @picocli.CommandLine.Mixin
        Listing listing;


        @Override
        public Integer call() {
            return PrepaidAccountCommands.run(parent.main, () -> limit, (n, ctx) -> {
                List<OpenReservations.Session> open = ctx.getBean(OpenReservations.class).list(account, n);
                if (listing.print(open)) {
                    return 0;
                }
                System.out.printf("%-20s %-28s %-16s %-20s %8s %6s %12s %-20s%n", "ACCOUNT", "CALL-ID", "DESTINATION",
                        "AUTHORIZED", "GRANTED", "USED", "HELD", "STALE AFTER");
                for (OpenReservations.Session s : open) {
                    System.out.printf("%-20s %-28s %-16s %-20s %7ds %5ds %8s %-3s %-20s%n", s.account(), s.callId(),
                            s.destination(), s.authorizedAt().toString().substring(0, 19), s.grantedSeconds(),
                            s.usedSeconds(), s.held().toPlainString(), s.currency(), s.expiresAt().toString().substring(0, 19));
                }
                System.out.println(open.size() + " open prepaid call(s)");
                return 0;
            });
        }
    }
}
