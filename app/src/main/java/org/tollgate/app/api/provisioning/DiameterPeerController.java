package org.tollgate.app.api.provisioning;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.tollgate.api.net.Cidr;
import org.tollgate.app.api.ApiProblems;
import org.tollgate.app.api.access.Allowed;
import org.tollgate.app.api.access.Role;
import org.tollgate.diameter.peer.DiameterPeer;
import org.tollgate.diameter.peer.JdbcDiameterPeers;

/** {@code /api/diameter-peers}: the Diameter clients allowed to connect ({@code tollgate diameter-peer}). */
@RestController
@RequestMapping("/api/diameter-peers")
@Allowed(Role.OPERATOR)
public class DiameterPeerController {

    public record Peer(String name, String originHost, String realm, String address) {
        public static Peer of(DiameterPeer p) {
            return new Peer(p.name(), p.originHost(), p.realm(), p.address().toString());
        }
    }

    private final JdbcDiameterPeers peers;

    public DiameterPeerController(JdbcDiameterPeers peers) {
        this.peers = peers;
    }

    @GetMapping
    public List<Peer> list() {
        return peers.findAll().stream().map(Peer::of).toList();
    }

    @PostMapping
    public ResponseEntity<Peer> add(@RequestBody Peer body) {
        if (body == null || body.name() == null || body.originHost() == null || body.realm() == null || body.address() == null) {
            throw new IllegalArgumentException("give name, originHost, realm and address");
        }
        DiameterPeer p = new DiameterPeer(body.name(), body.originHost(), body.realm(), Cidr.parse(body.address()));
        peers.add(p);
        return ResponseEntity.status(HttpStatus.CREATED).body(Peer.of(p));
    }

    @DeleteMapping("/{name}")
    public ResponseEntity<Object> remove(@PathVariable String name) {
        return peers.remove(name) ? ResponseEntity.noContent().build() : ApiProblems.notFound("no Diameter peer " + name);
    }
}
