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
import org.tollgate.aaa.radius.client.JdbcNasClientRepository;
import org.tollgate.aaa.radius.client.MessageAuthenticatorPolicy;
import org.tollgate.aaa.radius.client.NasClient;
import org.tollgate.aaa.radius.dictionary.DictionaryProfile;
import org.tollgate.api.net.Cidr;
import org.tollgate.app.api.ApiProblems;
import org.tollgate.app.api.access.Allowed;
import org.tollgate.app.api.access.Role;

/** {@code /api/nas-clients}: the RADIUS clients ({@code tollgate nas}). Secrets go in, never out. */
@RestController
@RequestMapping("/api/nas-clients")
@Allowed(Role.OPERATOR)
public class NasClientController {

    /** A new client; {@code messageAuthenticator} yes, no or auto (default), {@code profile} sip-acc (default) or rfc. */
    public record NewClient(String name, String address, String secret, String type, String profile,
                            String messageAuthenticator, boolean prepaidAuthorize) {
        @Override
        public String toString() {
            return "NewClient[" + name + " " + address + "]"; // never the secret
        }
    }

    /** A client as listed. */
    public record Client(String name, String address, String type, String profile, String messageAuthenticator,
                         boolean prepaidAuthorize) {
        public static Client of(NasClient c) {
            return new Client(c.name(), c.address().toString(), c.type(), c.profile().id(),
                    c.messageAuthenticator().id(), c.prepaidAuthorize());
        }
    }

    private final JdbcNasClientRepository clients;

    public NasClientController(JdbcNasClientRepository clients) {
        this.clients = clients;
    }

    @GetMapping
    public List<Client> list() {
        return clients.findAll().stream().map(Client::of).toList();
    }

    @PostMapping
    public ResponseEntity<Client> add(@RequestBody NewClient body) {
        if (body == null || body.name() == null || body.address() == null || body.secret() == null) {
            throw new IllegalArgumentException("give name, address and secret");
        }
        NasClient c = new NasClient(body.name(), Cidr.parse(body.address()), body.secret(), body.type(),
                body.profile() == null ? DictionaryProfile.SIP_ACC : DictionaryProfile.of(body.profile()),
                body.messageAuthenticator() == null ? MessageAuthenticatorPolicy.AUTO
                        : MessageAuthenticatorPolicy.parse(body.messageAuthenticator()),
                body.prepaidAuthorize());
        clients.add(c);
        return ResponseEntity.status(HttpStatus.CREATED).body(Client.of(c));
    }

    @DeleteMapping("/{name}")
    public ResponseEntity<Object> remove(@PathVariable String name) {
        return clients.remove(name) ? ResponseEntity.noContent().build() : ApiProblems.notFound("no NAS client " + name);
    }
}
