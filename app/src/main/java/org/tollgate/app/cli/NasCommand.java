package org.tollgate.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.tollgate.api.net.Cidr;
import org.tollgate.aaa.radius.client.JdbcNasClientRepository;
import org.tollgate.aaa.radius.client.MessageAuthenticatorPolicy;
import org.tollgate.aaa.radius.client.NasClient;
import org.tollgate.aaa.radius.dictionary.DictionaryProfile;
import org.tollgate.app.TollgateMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tollgate nas add|list|remove}: the NAS clients allowed to talk RADIUS. */
@Command(name = "nas", description = "Manage NAS clients (RADIUS peers).",
        subcommands = {NasCommand.Add.class, NasCommand.ListClients.class, NasCommand.Remove.class})
public class NasCommand {

    @ParentCommand
    TollgateMain main;

    @Command(name = "add", description = "Add a NAS client.")
    static class Add implements Callable<Integer> {
        @ParentCommand
        NasCommand parent;

        @Option(names = "--name", required = true, description = "Short name, unique.")
        String name;

        @Option(names = "--address", required = true, description = "IP address or CIDR network, e.g. 10.0.0.5 or 10.0.0.0/24.")
        String address;

        @Option(names = "--secret", arity = "0..1", interactive = true, paramLabel = "S", prompt = "Shared secret: ",
                defaultValue = "${env:TOLLGATE_NAS_SECRET}",
                description = {"Shared secret. Given alone it is asked for (no echo), or read from stdin when that is "
                        + "not a terminal; or use --secret-file, or TOLLGATE_NAS_SECRET in the environment. "
                        + "As --secret S it is visible to other local users (ps)."})
        char[] secret;

        @Option(names = "--secret-file", paramLabel = "FILE", description = "Read the shared secret from FILE (one line).")
        Path secretFile;

        @Spec
        CommandSpec spec;

        @Option(names = "--type", defaultValue = "other", description = "NAS type (kamailio, opensips, cisco, other…). Default: ${DEFAULT-VALUE}.")
        String type;

        @Option(names = "--profile", defaultValue = "sip-acc",
                description = "Dictionary profile for attributes 101-121: sip-acc (acc module) or rfc (RFC 5090/5176). Default: ${DEFAULT-VALUE}.")
        String profile;

        @Option(names = "--message-authenticator", paramLabel = "yes|no|auto",
                description = "Must its Access-Requests carry a Message-Authenticator (BlastRADIUS)? auto: once it has "
                        + "sent one (a NAS that never does, e.g. Kamailio's auth_radius, keeps working). "
                        + "Default: auto.")
        String messageAuthenticator;

        @Option(names = "--no-require-message-authenticator", negatable = false,
                description = "The same as --message-authenticator no.")
        boolean noRequireMa;

        @Option(names = "--prepaid-authorize", negatable = false,
                description = "May ask for a prepaid authorization without credentials (a proxy or gateway that "
                        + "authenticated the caller itself). Others must send PAP, CHAP or Digest with it.")
        boolean prepaidAuthorize;

        @Override
        public Integer call() {
            String shared = SecretInput.resolve(spec, "--secret", secret, "--secret-file", secretFile, "TOLLGATE_NAS_SECRET");
            if (noRequireMa && messageAuthenticator != null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "give --message-authenticator or --no-require-message-authenticator, not both");
            }
            MessageAuthenticatorPolicy ma;
            try {
                ma = noRequireMa ? MessageAuthenticatorPolicy.NO
                        : MessageAuthenticatorPolicy.parse(messageAuthenticator == null ? "auto" : messageAuthenticator);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--message-authenticator: "
                        + e.getMessage());
            }
            NasClient client = new NasClient(name, Cidr.parse(address), shared, type, DictionaryProfile.of(profile),
                    ma, prepaidAuthorize);
            try (Beans ctx = parent.main.dataContext()) {
                ctx.getBean(JdbcNasClientRepository.class).add(client);
            }
            System.out.println("added " + client);
            return 0;
        }
    }

    @Command(name = "list", description = "List NAS clients (secrets are not shown).")
    static class ListClients implements Callable<Integer> {
        @ParentCommand
        NasCommand parent;

        @picocli.CommandLine.Mixin
        Listing listing;

        @Override
        public Integer call() {
            try (Beans ctx = parent.main.dataContext()) {
                var clients = ctx.getBean(JdbcNasClientRepository.class).findAll();
                if (listing.print(clients.stream().map(org.tollgate.app.api.provisioning.NasClientController.Client::of).toList())) {
                    return 0;
                }
                System.out.printf("%-20s %-20s %-10s %-8s %-10s %s%n", "NAME", "ADDRESS", "TYPE", "PROFILE", "REQUIRE-MA",
                        "PREPAID-AUTHORIZE");
                for (NasClient c : clients) {
                    System.out.printf("%-20s %-20s %-10s %-8s %-10s %s%n", c.name(), c.address(), c.type(),
                            c.profile().id(), c.messageAuthenticator().id(),
                            c.prepaidAuthorize() ? "yes" : "no");
                }
            }
            return 0;
        }
    }

    @Command(name = "remove", description = "Remove a NAS client.")
    static class Remove implements Callable<Integer> {
        @ParentCommand
        NasCommand parent;

        @Parameters(paramLabel = "NAME", description = "Name of the client.")
        String name;

        @Override
        public Integer call() {
            try (Beans ctx = parent.main.dataContext()) {
                if (!ctx.getBean(JdbcNasClientRepository.class).remove(name)) {
                    System.err.println("no NAS client named " + name);
                    return 1;
                }
            }
            System.out.println("removed " + name);
            return 0;
        }
    }
}
