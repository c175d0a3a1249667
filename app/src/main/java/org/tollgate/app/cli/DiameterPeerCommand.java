package org.tollgate.app.cli;

import java.util.concurrent.Callable;
import org.springframework.dao.DuplicateKeyException;
import org.tollgate.api.net.Cidr;
import org.tollgate.app.TollgateMain;
import org.tollgate.diameter.peer.DiameterPeer;
import org.tollgate.diameter.peer.JdbcDiameterPeers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code tollgate diameter-peer add|list|remove}: the Diameter clients allowed to connect. */
@Command(name = "diameter-peer", description = "Manage Diameter peers (clients allowed to connect).",
        subcommands = {DiameterPeerCommand.Add.class, DiameterPeerCommand.ListPeers.class,
                DiameterPeerCommand.Remove.class})
public class DiameterPeerCommand {

    @ParentCommand
    TollgateMain main;

    @Command(name = "add", description = "Add a Diameter peer.")
    static class Add implements Callable<Integer> {
        @ParentCommand
        DiameterPeerCommand parent;

        @Option(names = "--name", required = true, description = "Short name, unique.")
        String name;

        @Option(names = "--origin-host", required = true,
                description = "The Origin-Host the peer announces in its CER (its Diameter identity).")
        String originHost;

        @Option(names = "--realm", required = true, description = "The peer's Origin-Realm.")
        String realm;

        @Option(names = "--address", required = true,
                description = "IP address or CIDR network it connects from, e.g. 10.0.0.5 or 10.0.0.0/24.")
        String address;

        @Override
        public Integer call() {
            DiameterPeer peer = new DiameterPeer(name, originHost, realm, Cidr.parse(address));
            try (Beans ctx = parent.main.dataContext()) {
                ctx.getBean(JdbcDiameterPeers.class).add(peer);
            } catch (DuplicateKeyException e) {
                System.err.println("a Diameter peer with the name " + name + " or the Origin-Host " + originHost
                        + " exists already");
                return 1;
            }
            System.out.println("added " + peer);
            return 0;
        }
    }

    @Command(name = "list", description = "List Diameter peers.")
    static class ListPeers implements Callable<Integer> {
        @ParentCommand
        DiameterPeerCommand parent;

        @picocli.CommandLine.Mixin
        Listing listing;

        @Override
        public Integer call() {
            try (Beans ctx = parent.main.dataContext()) {
                var peers = ctx.getBean(JdbcDiameterPeers.class).findAll();
                if (listing.print(peers.stream().map(org.tollgate.app.api.provisioning.DiameterPeerController.Peer::of).toList())) {
                    return 0;
                }
                System.out.printf("%-20s %-32s %-24s %s%n", "NAME", "ORIGIN-HOST", "REALM", "ADDRESS");
                for (DiameterPeer p : peers) {
                    System.out.printf("%-20s %-32s %-24s %s%n", p.name(), p.originHost(), p.realm(), p.address());
                }
            }
            return 0;
        }
    }

    @Command(name = "remove", description = "Remove a Diameter peer (a running server disconnects it).")
    static class Remove implements Callable<Integer> {
        @ParentCommand
        DiameterPeerCommand parent;

        @Parameters(paramLabel = "NAME", description = "Name of the peer.")
        String name;

        @Override
        public Integer call() {
            try (Beans ctx = parent.main.dataContext()) {
                if (!ctx.getBean(JdbcDiameterPeers.class).remove(name)) {
                    System.err.println("no Diameter peer named " + name);
                    return 1;
                }
            }
            System.out.println("removed " + name);
            return 0;
        }
    }
}
