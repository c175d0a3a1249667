package org.tollgate.app.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.tollgate.aaa.radius.auth.AttributeItem;
import org.tollgate.aaa.radius.auth.JdbcUserRepository;
import org.tollgate.aaa.radius.auth.RadiusUser;
import org.tollgate.app.TollgateMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tollgate user add|list|suspend|activate|remove}: subscribers. */
@Command(name = "user", description = "Manage subscribers.",
        subcommands = {UserCommand.Add.class, UserCommand.ListUsers.class, UserCommand.Suspend.class,
                UserCommand.Activate.class, UserCommand.Remove.class})
public class UserCommand {

    @ParentCommand
    TollgateMain main;

    /** Name and realm of an existing user. */
    static class Identity {
        @Option(names = "--name", required = true, description = "User name (the part before @).")
        String name;

        @Option(names = "--realm", defaultValue = "", description = "Realm / SIP domain (the part after @).")
        String realm;
    }

    @Command(name = "add", description = "Add a subscriber. The password is stored as a salted hash (PAP) and as "
            + "HA1 for the realm (SIP Digest); in clear only with --chap.")
    static class Add implements Callable<Integer> {
        @ParentCommand
        UserCommand parent;

        @picocli.CommandLine.Mixin
        Identity id = new Identity();

        @Option(names = "--password", arity = "0..1", interactive = true, paramLabel = "P", prompt = "Password: ",
                defaultValue = "${env:TOLLGATE_USER_PASSWORD}",
                description = {"Password. Given alone it is asked for (no echo), or read from stdin when that is not a "
                        + "terminal; or use --password-file, or TOLLGATE_USER_PASSWORD in the environment. "
                        + "As --password P it is visible to other local users (ps)."})
        char[] passwordOption;

        @Option(names = "--password-file", paramLabel = "FILE", description = "Read the password from FILE (one line).")
        Path passwordFile;

        @Spec
        CommandSpec spec;

        @Option(names = "--group", description = "Group membership (Sip-Group), repeatable: voip, pstn, …")
        List<String> groups = new ArrayList<>();

        @Option(names = "--reply", paramLabel = "ATTR=VALUE",
                description = "Reply item sent on Access-Accept, repeatable, e.g. 'Reply-Message=Hello' or 'SIP-AVP+=#2:10.0.0.1'.")
        List<String> replies = new ArrayList<>();

        @Option(names = "--chap", description = "Also keep the password in clear so CHAP works.")
        boolean chap;

        @Option(names = "--digest-only", description = "Auth-Type Digest: refuse PAP and CHAP for this user.")
        boolean digestOnly;

        @Override
        public Integer call() {
            String password = SecretInput.resolve(spec, "--password", passwordOption, "--password-file", passwordFile,
                    "TOLLGATE_USER_PASSWORD");
            List<AttributeItem> reply = replies.stream().map(AttributeItem::parseReply).toList();
            var dictionary = CliSupport.dictionaries(parent.main).forProfile(
                    org.tollgate.aaa.radius.dictionary.DictionaryProfile.SIP_ACC);
            for (AttributeItem r : reply) {
                if (dictionary.getAttributeTemplate(r.attribute()).isEmpty()) {
                    System.err.println("unknown attribute in --reply: " + r.attribute());
                    return 2;
                }
            }
            RadiusUser user = RadiusUser.withPassword(id.name, id.realm, password, java.util.Set.copyOf(groups), reply,
                    chap, digestOnly);
            try (Beans ctx = parent.main.dataContext()) {
                ctx.getBean(JdbcUserRepository.class).add(user);
            }
            System.out.println("added " + user.identity());
            return 0;
        }
    }

    @Command(name = "list", description = "List subscribers (no credentials are shown).")
    static class ListUsers implements Callable<Integer> {
        @ParentCommand
        UserCommand parent;

        @picocli.CommandLine.Mixin
        Listing listing;

        @Override
        public Integer call() {
            try (Beans ctx = parent.main.dataContext()) {
                List<RadiusUser> users = ctx.getBean(JdbcUserRepository.class).findAll();
                if (listing.print(users.stream().map(org.tollgate.app.api.provisioning.SubscriberController.User::of).toList())) {
                    return 0;
                }
                System.out.printf("%-32s %-10s %-12s %-16s %s%n", "USER", "STATUS", "AUTH", "CREDENTIALS", "GROUPS");
                for (RadiusUser user : users) {
                    var u = org.tollgate.app.api.provisioning.SubscriberController.User.of(user);
                    System.out.printf("%-32s %-10s %-12s %-16s %s%n", u.user(), u.status(), u.auth(),
                            String.join(",", u.credentials()), String.join(",", u.groups()));
                }
            }
            return 0;
        }
    }

    @Command(name = "suspend", description = "Suspend a subscriber: rejected, and in group 'suspended' for Group-Check.")
    static class Suspend implements Callable<Integer> {
        @ParentCommand
        UserCommand parent;

        @picocli.CommandLine.Mixin
        Identity id = new Identity();

        @Override
        public Integer call() {
            return CliSupport.setStatus(parent.main, id.name, id.realm, RadiusUser.Status.SUSPENDED);
        }
    }

    @Command(name = "activate", description = "Re-activate a suspended subscriber.")
    static class Activate implements Callable<Integer> {
        @ParentCommand
        UserCommand parent;

        @picocli.CommandLine.Mixin
        Identity id = new Identity();

        @Override
        public Integer call() {
            return CliSupport.setStatus(parent.main, id.name, id.realm, RadiusUser.Status.ACTIVE);
        }
    }

    @Command(name = "remove", description = "Remove a subscriber.")
    static class Remove implements Callable<Integer> {
        @ParentCommand
        UserCommand parent;

        @picocli.CommandLine.Mixin
        Identity id = new Identity();

        @Override
        public Integer call() {
            try (Beans ctx = parent.main.dataContext()) {
                if (!ctx.getBean(JdbcUserRepository.class).remove(id.name, id.realm)) {
                    System.err.println("no such user");
                    return 1;
                }
            }
            System.out.println("removed");
            return 0;
        }
    }
}
