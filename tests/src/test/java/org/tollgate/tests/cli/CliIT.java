package org.tollgate.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tollgate.aaa.radius.client.JdbcNasClientRepository;
import org.tollgate.tests.support.TollgateInstance;

/** The operator's commands against a running platform: imports are all or nothing, errors explained. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliIT {

    private TollgateInstance tollgate;

    @BeforeAll
    void start() {
        tollgate = new TollgateInstance();
    }

    @AfterAll
    void stop() {
        tollgate.close();
    }

    @Test
    void importsAClientsConfAndListsItWithoutSecrets() throws Exception {
        Path conf = Files.createTempFile("clients", ".conf");
        Files.writeString(conf, """
                client kamailio {
                    ipaddr = 10.0.0.5
                    secret = "s3cret#1"
                    nas_type = other
                    require_message_authenticator = no
                }
                client gateways {
                    ipaddr = 192.0.2.0/24
                    secret = gwsecret
                    shortname = gw
                    dictionary_profile = rfc
                }
                """);
        assertThat(tollgate.cli("import", "freeradius-clients", conf.toString())).isZero();
        String out = capture("nas", "list");
        assertThat(out).contains("kamailio").contains("10.0.0.5/32").contains("gw").contains("192.0.2.0/24")
                .contains("rfc").doesNotContain("s3cret").doesNotContain("gwsecret");
    }

    @Test
    void aClientsConfWithABadLineImportsNothing() throws Exception {
        int before = tollgate.bean(JdbcNasClientRepository.class).findAll().size();
        Path conf = Files.createTempFile("clients", ".conf");
        Files.writeString(conf, """
                client good {
                    ipaddr = 10.9.9.9
                    secret = x
                }
                client bad {
                    ipaddr = 10.9.9.300
                    secret = y
                }
                """);
        assertThat(tollgate.cli("import", "freeradius-clients", conf.toString())).isEqualTo(1);
        assertThat(tollgate.bean(JdbcNasClientRepository.class).findAll()).hasSize(before);
    }

    @Test
    void aUsersFileWithABadLineImportsNothingAndSaysWhere() throws Exception {
        Path users = Files.createTempFile("users", "");
        Files.writeString(users, """
                alice Cleartext-Password := "a"
                \tReply-Message = "hi"

                bob Cleartext-Password := "b", No-Such-Attribute == "x"
                """);
        TollgateInstance.CliRun r = tollgate.cliCaptured("import", "freeradius-users", users.toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains("line 4").contains("No-Such-Attribute");
        assertThat(tollgate.jdbc().queryForObject("SELECT count(*) FROM radius_user WHERE username IN ('alice','bob')",
                Integer.class)).isZero();
    }

    @Test
    void aDuplicateNasIsRefusedWithAOneLineReason() {
        assertThat(tollgate.cli("nas", "add", "--name", "dup", "--address", "10.7.7.7", "--secret", "x")).isZero();
        assertThat(tollgate.cli("nas", "add", "--name", "dup", "--address", "10.7.7.8", "--secret", "x")).isEqualTo(1);
        assertThat(tollgate.cli("nas", "add", "--name", "bad", "--address", "not-an-ip", "--secret", "x")).isEqualTo(1);
    }

    private String capture(String... command) {
        TollgateInstance.CliRun r = tollgate.cliCaptured(command);
        assertThat(r.rc()).as(r.err()).isZero();
        return r.out();
    }
}
