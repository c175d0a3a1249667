package org.tollgate.app.cli;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

import org.tollgate.app.TollgateMain;
import org.tollgate.app.api.access.JdbcApiTokens;
import org.tollgate.app.api.access.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code tollgate token create|list|revoke}: the admin API's tokens, stored hashed. */
@Command(name = "token", description = "Admin API tokens: create (shown once), list, revoke.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
public class TokenCommand implements Runnable {

    @ParentCommand
    TollgateMain main;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "create", description = "A new token, printed once (only its SHA-256 is stored).")
    static class Create implements Callable<Integer> {

        @ParentCommand
        TokenCommand parent;

        @Option(names = "--name", required = true, description = "Unique name (who holds it).")
        String name;

        @Option(names = "--role", required = true, paramLabel = "admin|operator|finance",
                description = "admin: everything; operator: provisioning, accounting, calls, batch (no money); "
                        + "finance: CDRs, reports, balances, top-ups.")
        String role;

        @Option(names = "--account", paramLabel = "ACCOUNT",
                description = "Limit a finance token to this account (repeatable): a reseller's token.")
        List<String> accounts = List.of();

        @Option(names = "--expires", paramLabel = "T", description = "When it stops working (an instant, a date, or an age ahead like 90d).")
        String expires;

        @Override
        public Integer call() {
            Role r;
            Instant until = null;
            try {
                r = Role.parse(role);
                JdbcApiTokens.checkScope(r, new LinkedHashSet<>(accounts));
                if (expires != null) {
                    until = CliSupport.parseFuture(expires);
                }
            } catch (IllegalArgumentException e) {
                System.err.println("token create: " + e.getMessage());
                return 2;
            }
            if (name.isBlank()) {
                System.err.println("token create: --name must not be empty");
                return 2;
            }
            String token;
            try (Beans ctx = parent.main.dataContext()) {
                token = ctx.getBean(JdbcApiTokens.class).create(name, r, new LinkedHashSet<>(accounts), until);
            }
            System.out.println(token);
            System.err.println("token " + name + " (" + r.label() + (accounts.isEmpty() ? "" : ", accounts " + accounts)
                    + "): shown once, keep it; send it as Authorization: Bearer TOKEN");
            return 0;
        }
    }

    @Command(name = "list", description = "The tokens (never their values).")
    static class ListTokens implements Callable<Integer> {

        @ParentCommand
        TokenCommand parent;

        @picocli.CommandLine.Mixin
        Listing listing;

        @Override
        public Integer call() {
            try (Beans ctx = parent.main.dataContext()) {
                var rows = ctx.getBean(JdbcApiTokens.class).list();
                if (listing.print(rows)) {
                    return 0;
                }
                System.out.printf("%-32s %-9s %-20s %-20s %-20s %s%n", "NAME", "ROLE", "CREATED", "EXPIRES", "REVOKED", "ACCOUNTS");
                for (JdbcApiTokens.Token t : rows) {
                    System.out.printf("%-32s %-9s %-20s %-20s %-20s %s%n", t.name(), t.role().label(), CliSupport.time(t.created()),
                            CliSupport.time(t.expires()), CliSupport.time(t.revoked()),
                            t.accounts().isEmpty() ? "all" : String.join(",", new java.util.TreeSet<>(t.accounts())));
                }
                System.out.println(rows.size() + " token(s)");
            }
            return 0;
        }
    }

    @Command(name = "revoke", description = "The token stops working at once.")
    static class Revoke implements Callable<Integer> {

        @ParentCommand
        TokenCommand parent;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (Beans ctx = parent.main.dataContext()) {
                if (!ctx.getBean(JdbcApiTokens.class).revoke(name)) {
                    System.err.println("token revoke: no live token " + name);
                    return 1;
                }
            }
            System.out.println("token " + name + " revoked");
            return 0;
        }
    }
}
