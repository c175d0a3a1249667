package org.tollgate.app.api.provisioning;

import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.tollgate.aaa.radius.ImportException;
import org.tollgate.aaa.radius.auth.JdbcUserRepository;
import org.tollgate.aaa.radius.auth.UsersFileImporter;
import org.tollgate.aaa.radius.client.ClientsConfParser;
import org.tollgate.aaa.radius.client.JdbcNasClientRepository;
import org.tollgate.aaa.radius.client.NasClient;
import org.tollgate.aaa.radius.dictionary.DictionaryProfile;
import org.tollgate.aaa.radius.dictionary.RadiusDictionaries;
import org.tollgate.app.api.access.Allowed;
import org.tollgate.app.api.access.Role;
import org.tollgate.app.config.TollgateProperties;

/**
 * {@code /api/imports}: FreeRADIUS files as the body ({@code tollgate import}). A file with a bad
 * line imports nothing: 400 with every problem and its line.
 */
@RestController
@RequestMapping("/api/imports")
@Allowed(Role.OPERATOR)
public class ImportController {

    public record Problems(String error, List<String> problems) { }

    private final JdbcNasClientRepository clients;
    private final JdbcUserRepository users;
    private final RadiusDictionaries dictionaries;

    public ImportController(JdbcNasClientRepository clients, JdbcUserRepository users,
                            ObjectProvider<RadiusDictionaries> dictionaries, TollgateProperties props) {
        this.clients = clients;
        this.users = users;
        // the RADIUS server's, or (an instance without the aaa role) the same files loaded here
        this.dictionaries = dictionaries.getIfAvailable(() -> RadiusDictionaries.load(props.radius().dictionaryDir()));
    }

    /** The {@code client} sections of a clients.conf. */
    @PostMapping(path = "/freeradius-clients", consumes = MediaType.TEXT_PLAIN_VALUE)
    public Map<String, Integer> freeradiusClients(@RequestBody String text) throws ImportException {
        List<NasClient> parsed = ClientsConfParser.parse("clients.conf", text);
        clients.upsertAll(parsed);
        return Map.of("clients", parsed.size());
    }

    /** A users file; {@code realm} as {@code import freeradius-users --realm}. */
    @PostMapping(path = "/freeradius-users", consumes = MediaType.TEXT_PLAIN_VALUE)
    public Map<String, Integer> freeradiusUsers(@RequestBody String text, @RequestParam(defaultValue = "") String realm)
            throws ImportException {
        var dictionary = dictionaries.forProfile(DictionaryProfile.SIP_ACC);
        UsersFileImporter.Result r = UsersFileImporter.read("users", text, realm,
                name -> dictionary.getAttributeTemplate(name).isPresent());
        users.importAll(r.users(), r.defaults());
        return Map.of("users", r.users().size(), "defaults", r.defaults().size());
    }

    @ExceptionHandler(ImportException.class)
    ResponseEntity<Problems> refused(ImportException e) {
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON)
                .body(new Problems(e.getMessage().lines().findFirst().orElse("nothing imported"), e.problems()));
    }
}
