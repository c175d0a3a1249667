package org.tollgate.app.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.tollgate.aaa.radius.ImportException;
import org.tollgate.aaa.radius.auth.JdbcUserRepository;
import org.tollgate.aaa.radius.auth.UsersFileImporter;
import org.tollgate.aaa.radius.client.ClientsConfParser;
import org.tollgate.aaa.radius.client.JdbcNasClientRepository;
import org.tollgate.aaa.radius.client.NasClient;
import org.tollgate.aaa.radius.dictionary.DictionaryProfile;
import org.tollgate.app.TollgateMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code tollgate import freeradius-clients|freeradius-users FILE}: all or nothing. */
@Command(name = "import", description = "Import FreeRADIUS configuration. A file with any bad line imports nothing.",
        subcommands = {ImportCommand.Clients.class, ImportCommand.Users.class})
public class ImportCommand {

    @ParentCommand
    TollgateMain main;

    @Command(name = "freeradius-clients", description = "Import the client sections of a clients.conf.")
    static class Clients implements Callable<Integer> {
        @ParentCommand
        ImportCommand parent;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws IOException {
            List<NasClient> clients;
            try {
                clients = ClientsConfParser.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
            } catch (ImportException e) {
                System.err.println(e.getMessage());
                return 1;
            }
            try (Beans ctx = parent.main.dataContext()) {
                ctx.getBean(JdbcNasClientRepository.class).upsertAll(clients);
            }
            System.out.println("imported " + clients.size() + " NAS client(s) from " + file);
            return 0;
        }
    }

    @Command(name = "freeradius-users", description = "Import a FreeRADIUS users file.")
    static class Users implements Callable<Integer> {
        @ParentCommand
        ImportCommand parent;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Option(names = "--realm", defaultValue = "",
                description = "Make bare names name@realm and store Digest users' HA1 for it, not their "
                        + "password (default: names matched as written; a Digest user without a realm keeps its "
                        + "password and answers any realm).")
        String realm;

        @Override
        public Integer call() throws IOException {
            var dictionary = CliSupport.dictionaries(parent.main).forProfile(DictionaryProfile.SIP_ACC);
            UsersFileImporter.Result result;
            try {
                result = UsersFileImporter.read(file.toString(), Files.readString(file, StandardCharsets.UTF_8), realm,
                        name -> dictionary.getAttributeTemplate(name).isPresent());
            } catch (ImportException e) {
                System.err.println(e.getMessage());
                return 1;
            }
            try (Beans ctx = parent.main.dataContext()) {
                ctx.getBean(JdbcUserRepository.class).importAll(result.users(), result.defaults());
            }
            System.out.println("imported " + result.users().size() + " user(s) and " + result.defaults().size()
                    + " DEFAULT entr" + (result.defaults().size() == 1 ? "y" : "ies") + " from " + file);
            return 0;
        }
    }
}
