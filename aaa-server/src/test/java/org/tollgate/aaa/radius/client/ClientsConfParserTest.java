package org.tollgate.aaa.radius.client;

import org.tollgate.api.net.Cidr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tollgate.aaa.radius.ImportException;
import org.tollgate.aaa.radius.dictionary.DictionaryProfile;

class ClientsConfParserTest {

    private static final String CLIENTS_CONF = """
            # -*- text -*-
            ##
            ## clients.conf -- client configuration directives
            ##

            #  The localhost client, as FreeRADIUS ships it.
            client localhost {
            \tipaddr = 127.0.0.1
            \tsecret = testing123
            \trequire_message_authenticator = no
            \tnas_type = other   # the default
            \tshortname = lo
            \tlimit {
            \t\tmax_connections = 16
            \t\tlifetime = 0
            \t\tidle_timeout = 30
            \t}
            }

            client kamailio-farm {
                ipaddr = 192.168.10.0/24
                secret = "s3cr#t with spaces"   # '#' inside quotes is not a comment
                nas_type = cisco
                dictionary_profile = rfc
                prepaid_authorize = yes
                proto = *
            }

            # old style: the section name is the address
            client 10.1.2.0/24 {
                secret = x
            }

            client legacy-mask {
                ipaddr = 172.16.5.77
                netmask = 24
                secret = masked
                require_message_authenticator = yes
            }

            client v6-core {
                ipv6addr = 2001:db8:1::/48
                secret = v6secret
            }
            """;

    private static Map<String, NasClient> byName(List<NasClient> clients) {
        return clients.stream().collect(Collectors.toMap(NasClient::name, Function.identity()));
    }

    @Test
    void readsARealisticClientsConf() throws ImportException {
        List<NasClient> clients = ClientsConfParser.parse("clients.conf", CLIENTS_CONF);

        assertThat(clients).extracting(NasClient::name)
                .containsExactly("lo", "kamailio-farm", "10.1.2.0/24", "legacy-mask", "v6-core");
        Map<String, NasClient> c = byName(clients);

        NasClient lo = c.get("lo");
        assertThat(lo.address()).isEqualTo(Cidr.parse("127.0.0.1/32"));
        assertThat(lo.secret()).isEqualTo("testing123");
        assertThat(lo.type()).isEqualTo("other");
        assertThat(lo.messageAuthenticator()).isEqualTo(MessageAuthenticatorPolicy.NO);
        assertThat(lo.profile()).isEqualTo(DictionaryProfile.SIP_ACC);

        NasClient farm = c.get("kamailio-farm");
        assertThat(farm.address()).isEqualTo(Cidr.parse("192.168.10.0/24"));
        assertThat(farm.secret()).isEqualTo("s3cr#t with spaces");
        assertThat(farm.type()).isEqualTo("cisco");
        assertThat(farm.profile()).isEqualTo(DictionaryProfile.RFC);
        assertThat(farm.messageAuthenticator()).as("default, as FreeRADIUS 3.2.5's").isEqualTo(MessageAuthenticatorPolicy.AUTO);
        assertThat(farm.prepaidAuthorize()).isTrue();
        assertThat(lo.prepaidAuthorize()).as("default").isFalse();

        NasClient old = c.get("10.1.2.0/24");
        assertThat(old.address()).isEqualTo(Cidr.parse("10.1.2.0/24"));
        assertThat(old.secret()).isEqualTo("x");
        assertThat(old.type()).isEqualTo("other");

        NasClient mask = c.get("legacy-mask");
        assertThat(mask.address()).isEqualTo(Cidr.parse("172.16.5.0/24"));
        assertThat(mask.messageAuthenticator()).isEqualTo(MessageAuthenticatorPolicy.YES);

        NasClient v6 = c.get("v6-core");
        assertThat(v6.address()).isEqualTo(Cidr.parse("2001:db8:1::/48"));
        assertThat(v6.address().network()).hasSize(16);
        assertThat(v6.secret()).isEqualTo("v6secret");
    }

    @Test
    void toStringNeverShowsTheSecret() throws ImportException {
        List<NasClient> clients = ClientsConfParser.parse("clients.conf", CLIENTS_CONF);
        assertThat(clients).allSatisfy(n -> assertThat(n.toString()).doesNotContain(n.secret()));
    }

    @ParameterizedTest(name = "require_message_authenticator = {0}")
    @CsvSource({"yes, YES", "no, NO", "true, YES", "false, NO", "auto, AUTO", "YES, YES", "off, NO"})
    void requireMessageAuthenticatorValues(String value, MessageAuthenticatorPolicy expected) throws ImportException {
        String conf = "client a {\n ipaddr = 192.0.2.1\n secret = s\n require_message_authenticator = " + value + "\n}\n";
        assertThat(ClientsConfParser.parse("c", conf).get(0).messageAuthenticator()).isEqualTo(expected);
    }

    @Test
    void ipv4addrAndStarAreAccepted() throws ImportException {
        String conf = """
                client v4 {
                  ipv4addr = 198.51.100.7
                  secret = a
                }
                client everyone {
                  ipaddr = *
                  secret = b
                }
                """;
        Map<String, NasClient> c = byName(ClientsConfParser.parse("c", conf));
        assertThat(c.get("v4").address()).isEqualTo(Cidr.parse("198.51.100.7/32"));
        assertThat(c.get("everyone").address()).isEqualTo(Cidr.parse("0.0.0.0/0"));
    }

    @Test
    void emptyFileHasNoClients() throws ImportException {
        assertThat(ClientsConfParser.parse("c", "")).isEmpty();
        assertThat(ClientsConfParser.parse("c", "# only a comment\n\n   \n")).isEmpty();
    }

    @Test
    void reportsEveryProblemOfABadFileWithItsLine() {
        String conf = String.join("\n",
                "# bad clients.conf",           // 1
                "client nosecret {",            // 2
                "  ipaddr = 10.0.0.1",          // 3
                "}",                            // 4
                "client badaddr {",             // 5
                "  ipaddr = 10.0.0.1/40",       // 6
                "  secret = x",                 // 7
                "}",                            // 8
                "client a {",                   // 9
                "  ipaddr = 192.0.2.1",         // 10
                "  secret = s",                 // 11
                "}",                            // 12
                "client a {",                   // 13 duplicate name
                "  ipaddr = 192.0.2.2",         // 14
                "  secret = s",                 // 15
                "}",                            // 16
                "client b {",                   // 17 duplicate address
                "  ipaddr = 192.0.2.1/32",      // 18
                "  secret = s",                 // 19
                "}",                            // 20
                "this is junk",                 // 21
                "client open {",                // 22 never closed
                "  ipaddr = 192.0.2.9",         // 23
                "  secret = s",                 // 24
                "");

        ImportException e = catchThrowableOfType(() -> ClientsConfParser.parse("clients.conf", conf),
                ImportException.class);

        assertThat(e).isNotNull();
        assertThat(e.problems()).hasSize(6);
        assertThat(e.problems().get(0)).startsWith("line 2:").contains("nosecret", "no secret");
        assertThat(e.problems().get(1)).startsWith("line 5:").contains("badaddr");
        assertThat(e.problems().get(2)).startsWith("line 13:").contains("duplicate name a");
        assertThat(e.problems().get(3)).startsWith("line 17:").contains("duplicate address 192.0.2.1/32");
        assertThat(e.problems().get(4)).startsWith("line 21:").contains("this is junk");
        assertThat(e.problems().get(5)).startsWith("line 22:").contains("open", "not closed");
        assertThat(e.getMessage()).startsWith("clients.conf: 6 problem(s), nothing imported");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing secret        | client a {\\n ipaddr = 192.0.2.1\\n}                               | line 1:
            empty secret          | client a {\\n ipaddr = 192.0.2.1\\n secret = ""\\n}                | line 1:
            host name as address  | client a {\\n ipaddr = nas.example.com\\n secret = s\\n}           | line 1:
            prefix too long       | \\nclient a {\\n ipaddr = 192.0.2.1/33\\n secret = s\\n}           | line 2:
            bad netmask           | client a {\\n ipaddr = 192.0.2.0\\n netmask = 99\\n secret = s\\n} | line 1:
            bad old-style name    | client my-nas {\\n secret = s\\n}                                 | line 1:
            unknown profile       | client a {\\n ipaddr = 192.0.2.1\\n secret = s\\n dictionary_profile = x\\n} | line 1:
            bad yes/no            | client a {\\n ipaddr = 192.0.2.1\\n secret = s\\n require_message_authenticator = maybe\\n} | line 1:
            no brace              | client a\\n                                                      | line 1:
            line without =        | client a {\\n ipaddr = 192.0.2.1\\n secret = s\\n shortname\\n}     | line 4:
            unclosed section      | # x\\n\\nclient a {\\n ipaddr = 192.0.2.1\\n secret = s\\n         | line 3:
            junk outside          | client a {\\n ipaddr = 192.0.2.1\\n secret = s\\n}\\nsecret = s    | line 5:
            """)
    void rejectsABadFile(String what, String escapedText, String expectedLine) {
        String text = escapedText.replace("\\n", "\n");
        ImportException e = catchThrowableOfType(() -> ClientsConfParser.parse("clients.conf", text),
                ImportException.class);
        assertThat(e).as(what).isNotNull();
        assertThat(e.problems()).as(what).hasSize(1);
        assertThat(e.problems().get(0)).as(what).startsWith(expectedLine);
    }

    @Test
    void oneBadClientMeansNothingIsReturned() {
        String conf = CLIENTS_CONF + "\nclient broken {\n ipaddr = 192.0.2.50\n}\n";
        ImportException e = catchThrowableOfType(() -> ClientsConfParser.parse("clients.conf", conf),
                ImportException.class);
        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().asString().contains("broken", "no secret");
    }

    @Test
    void singleQuotedSecretMayContainHash() throws ImportException {
        String conf = "client a {\n ipaddr = 192.0.2.1\n secret = 'p#ss'\n}\n";
        assertThat(ClientsConfParser.parse("c", conf).get(0).secret()).isEqualTo("p#ss");
    }
}
