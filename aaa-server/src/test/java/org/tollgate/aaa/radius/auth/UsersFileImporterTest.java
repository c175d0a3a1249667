package org.tollgate.aaa.radius.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tinyradius.core.dictionary.Dictionary;
import org.tollgate.aaa.radius.ImportException;
import org.tollgate.aaa.radius.dictionary.DictionaryProfile;
import org.tollgate.aaa.radius.dictionary.RadiusDictionaries;

class UsersFileImporterTest {

    /** The users file of the Kamailio/FreeRADIUS tutorial, plus its "Testing RADIUS Server" user. */
    static final String TUTORIAL_USERS = """
            ### --- avps ---
            101@kamailio.org Auth-Type := Accept, Service-Type == "SIP-Callee-AVPs"
            \tSip-Avp += "#3#1",
            \tSip-Avp += "#4:08:00",
            \tSip-Avp += "#5:16:00",
            \tSip-Avp += "#6:Mon,Wed,Thu,Fri"

            102@kamailio.org Auth-Type := Accept, Service-Type == "SIP-Callee-AVPs"
            \tSip-Avp += "#3#1",
            \tSip-Avp += "#4:08:00",
            \tSip-Avp += "#5:16:00",
            \tSip-Avp += "#6:Mon,Wed,Thu,Free"

            DEFAULT Auth-Type := Accept, Service-Type == "SIP-Callee-AVPs"

            ### --- group checking ---
            ### --- user 101 ---
            101@kamailio.org Auth-Type := Accept, Sip-Group == "voip", Service-Type == "Group-Check"
            \tReply-Message = "Authorized"

            101@kamailio.org Auth-Type := Accept, Sip-Group == "pstn", Service-Type == "Group-Check"
            \tReply-Message = "Authorized"

            ### --- user 102 ---
            102@kamailio.org Auth-Type := Accept, Sip-Group == "voip", Service-Type == "Group-Check"
            \tReply-Message = "Authorized"

            DEFAULT Auth-Type := Reject, Service-Type == "Group-Check"

            ### --- user authentication ---
            101@kamailio.org Auth-Type := Digest, User-Password == "101"
            \tReply-Message = "Authenticated",
            \tSip-Avp += "rpid:101",
            \tSip-Avp += "#2:192.168.2.10",
            \tSip-Avp += "#2:192.168.2.11"

            102@kamailio.org Auth-Type := Digest, User-Password == "102"
            \tReply-Message = "Authenticated",
            \tSip-Avp += "rpid:102",
            \tSip-Avp += "#2:192.168.2.12"

            test Auth-Type := Digest, User-Password == "test"
            \tReply-Message = "Hello, test with digest"
            """;

    private static Predicate<String> knownAttribute;

    @BeforeAll
    static void loadDictionary() {
        Dictionary dictionary = RadiusDictionaries.load(null).forProfile(DictionaryProfile.SIP_ACC);
        knownAttribute = name -> dictionary.getAttributeTemplate(name).isPresent();
    }

    private static UsersFileImporter.Result read(String text, String defaultRealm) throws ImportException {
        return UsersFileImporter.read("users", text, defaultRealm, knownAttribute);
    }

    private static ImportException readFails(String text, String defaultRealm) {
        ImportException e = catchThrowableOfType(() -> read(text, defaultRealm), ImportException.class);
        assertThat(e).as("ImportException").isNotNull();
        return e;
    }

    private static Map<String, RadiusUser> byIdentity(UsersFileImporter.Result r) {
        return r.users().stream().collect(Collectors.toMap(RadiusUser::identity, Function.identity()));
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static int lineOf(String text, String needle) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError(needle + " not in text");
    }

    // ---------------------------------------------------------------- the tutorial file

    @Test
    void tutorialUsersRealmsAndGroups() throws ImportException {
        UsersFileImporter.Result r = read(TUTORIAL_USERS, "testrealm");

        assertThat(r.users()).extracting(RadiusUser::username, RadiusUser::realm).containsExactly(
                tuple("101", "kamailio.org"), tuple("102", "kamailio.org"), tuple("test", "testrealm"));
        Map<String, RadiusUser> u = byIdentity(r);
        assertThat(u.get("101@kamailio.org").groups()).containsExactlyInAnyOrder("voip", "pstn");
        assertThat(u.get("102@kamailio.org").groups()).containsExactly("voip");
        assertThat(u.get("test@testrealm").groups()).isEmpty();
        assertThat(r.users()).allSatisfy(user -> {
            assertThat(user.status()).isEqualTo(RadiusUser.Status.ACTIVE);
            assertThat(user.checkItems()).isEmpty();
        });
    }

    @Test
    void tutorialDigestCredentials() throws ImportException {
        Map<String, RadiusUser> u = byIdentity(read(TUTORIAL_USERS, "testrealm"));

        RadiusUser u101 = u.get("101@kamailio.org");
        assertThat(u101.authType()).isEqualTo(RadiusUser.AuthType.DIGEST);
        assertThat(u101.digestHa1()).isEqualTo(md5("101:kamailio.org:101"));
        assertThat(u101.papHash()).as("no PAP hash for Auth-Type Digest").isNull();
        assertThat(u101.cleartextPassword()).isNull();

        assertThat(u.get("102@kamailio.org").digestHa1()).isEqualTo(md5("102:kamailio.org:102"));

        RadiusUser test = u.get("test@testrealm");
        assertThat(test.authType()).isEqualTo(RadiusUser.AuthType.DIGEST);
        assertThat(test.digestHa1()).isEqualTo(md5("test:testrealm:test"));
        assertThat(test.papHash()).isNull();
        assertThat(test.cleartextPassword()).isNull();
    }

    @Test
    void tutorialReplyItemsPerServiceType() throws ImportException {
        RadiusUser u101 = byIdentity(read(TUTORIAL_USERS, "testrealm")).get("101@kamailio.org");

        assertThat(u101.repliesFor(null)).containsExactly(
                AttributeItem.of("Reply-Message", "=", "Authenticated"),
                AttributeItem.of("Sip-Avp", "+=", "rpid:101"),
                AttributeItem.of("Sip-Avp", "+=", "#2:192.168.2.10"),
                AttributeItem.of("Sip-Avp", "+=", "#2:192.168.2.11"));
        assertThat(u101.repliesFor("Group-Check")).containsExactly(
                new AttributeItem("Reply-Message", "=", "Authorized", "Group-Check"),
                new AttributeItem("Reply-Message", "=", "Authorized", "Group-Check"));
        assertThat(u101.repliesFor("SIP-Callee-AVPs")).extracting(AttributeItem::attribute, AttributeItem::op,
                AttributeItem::value).containsExactly(
                tuple("Sip-Avp", "+=", "#3#1"),
                tuple("Sip-Avp", "+=", "#4:08:00"),
                tuple("Sip-Avp", "+=", "#5:16:00"),
                tuple("Sip-Avp", "+=", "#6:Mon,Wed,Thu,Fri"));
        assertThat(u101.hasServiceEntry("SIP-Callee-AVPs")).isTrue();
        assertThat(u101.hasServiceEntry("SIP-Caller-AVPs")).isFalse();
        assertThat(u101.repliesFor("SIP-Caller-AVPs")).isEmpty();

        RadiusUser test = byIdentity(read(TUTORIAL_USERS, "testrealm")).get("test@testrealm");
        assertThat(test.replyItems()).containsExactly(AttributeItem.of("Reply-Message", "=", "Hello, test with digest"));
    }

    @Test
    void tutorialServiceEntriesDoNotChangeTheAuthType() throws ImportException {
        // 101 has Auth-Type := Accept on its AVP and group entries, := Digest on its auth entry
        String avpAndGroupOnly = TUTORIAL_USERS.substring(0, TUTORIAL_USERS.indexOf("### --- user authentication"));
        RadiusUser u101 = byIdentity(read(avpAndGroupOnly, "")).get("101@kamailio.org");
        assertThat(u101.authType()).isNull();
        assertThat(u101.digestHa1()).isNull();
        assertThat(u101.papHash()).isNull();
    }

    @Test
    void tutorialDefaultEntriesInOrder() throws ImportException {
        List<DefaultEntry> defaults = read(TUTORIAL_USERS, "testrealm").defaults();

        assertThat(defaults).hasSize(2);
        DefaultEntry first = defaults.get(0);
        assertThat(first.ordinal()).isZero();
        assertThat(first.authType()).isEqualTo(RadiusUser.AuthType.ACCEPT);
        assertThat(first.checkItems()).containsExactly(AttributeItem.of("Service-Type", "==", "SIP-Callee-AVPs"));
        assertThat(first.replyItems()).isEmpty();
        assertThat(first.fallThrough()).isFalse();

        DefaultEntry second = defaults.get(1);
        assertThat(second.ordinal()).isEqualTo(1);
        assertThat(second.authType()).isEqualTo(RadiusUser.AuthType.REJECT);
        assertThat(second.checkItems()).containsExactly(AttributeItem.of("Service-Type", "==", "Group-Check"));
    }

    @Test
    void tutorialTestUserWithoutRealmKeepsItsPasswordForAnyRealm() throws ImportException {
        Map<String, RadiusUser> u = byIdentity(read(TUTORIAL_USERS, ""));
        RadiusUser test = u.get("test");
        assertThat(test.realm()).isEmpty();
        assertThat(test.authType()).isEqualTo(RadiusUser.AuthType.DIGEST);
        assertThat(test.cleartextPassword()).isEqualTo("test");
        assertThat(test.digestHa1()).as("no realm to derive it for").isNull();
        assertThat(test.papHash()).as("a Digest user takes no PAP").isNull();
        assertThat(u.get("101@kamailio.org").cleartextPassword()).as("a realm: HA1 only").isNull();
        assertThat(u.get("101@kamailio.org").digestHa1()).isEqualTo(md5("101:kamailio.org:101"));
    }

    // ---------------------------------------------------------------- credentials and realms

    @Test
    void passwordsBecomePapHashHa1AndCleartext() throws ImportException {
        String users = """
                alice User-Password == "alice-pw"
                bob Cleartext-Password := "bob-pw"
                carol@example.net Cleartext-Password := "carol-pw"
                dave@example.net Digest-HA1 := "0123456789ABCDEF0123456789abcdef"
                erin@example.net Auth-Type := Digest, Cleartext-Password := "erin-pw"
                frank Auth-Type := Accept
                """;
        Map<String, RadiusUser> u = byIdentity(read(users, ""));

        RadiusUser alice = u.get("alice");
        assertThat(alice.realm()).isEmpty();
        assertThat(alice.authType()).isNull();
        assertThat(Passwords.papMatches(alice.papHash(), "alice-pw")).isTrue();
        assertThat(alice.papHash()).doesNotContain("alice-pw");
        assertThat(alice.cleartextPassword()).as("User-Password is not kept in clear").isNull();
        assertThat(alice.digestHa1()).as("no realm, no HA1").isNull();

        RadiusUser bob = u.get("bob");
        assertThat(bob.cleartextPassword()).isEqualTo("bob-pw");
        assertThat(Passwords.papMatches(bob.papHash(), "bob-pw")).isTrue();

        RadiusUser carol = u.get("carol@example.net");
        assertThat(carol.cleartextPassword()).isEqualTo("carol-pw");
        assertThat(carol.digestHa1()).isEqualTo(md5("carol:example.net:carol-pw"));

        RadiusUser dave = u.get("dave@example.net");
        assertThat(dave.digestHa1()).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(dave.papHash()).isNull();

        RadiusUser erin = u.get("erin@example.net");
        assertThat(erin.authType()).isEqualTo(RadiusUser.AuthType.DIGEST);
        assertThat(erin.papHash()).isNull();
        assertThat(erin.cleartextPassword()).isEqualTo("erin-pw");
        assertThat(erin.digestHa1()).isEqualTo(md5("erin:example.net:erin-pw"));

        assertThat(u.get("frank").authType()).isEqualTo(RadiusUser.AuthType.ACCEPT);
    }

    @Test
    void defaultRealmAppliesToBareNamesOnly() throws ImportException {
        String users = """
                alice Cleartext-Password := "pw"
                bob@other.org Cleartext-Password := "pw"
                """;
        Map<String, RadiusUser> u = byIdentity(read(users, "example.com"));
        assertThat(u).containsOnlyKeys("alice@example.com", "bob@other.org");
        assertThat(u.get("alice@example.com").digestHa1()).isEqualTo(md5("alice:example.com:pw"));
        assertThat(u.get("bob@other.org").digestHa1()).isEqualTo(md5("bob:other.org:pw"));
    }

    @Test
    void nullDefaultRealmMeansNone() throws ImportException {
        RadiusUser alice = read("alice Cleartext-Password := \"pw\"\n", null).users().get(0);
        assertThat(alice.realm()).isEmpty();
        assertThat(alice.identity()).isEqualTo("alice");
    }

    @Test
    void sameNameInTwoRealmsIsTwoUsers() throws ImportException {
        String users = """
                alice@a.example Cleartext-Password := "1"
                alice@b.example Cleartext-Password := "2"
                """;
        assertThat(read(users, "").users()).extracting(RadiusUser::identity, RadiusUser::cleartextPassword)
                .containsExactly(tuple("alice@a.example", "1"), tuple("alice@b.example", "2"));
    }

    @Test
    void otherCheckItemsAreKeptAndFallThroughIsDropped() throws ImportException {
        String users = """
                alice Cleartext-Password := "pw", NAS-IP-Address == 192.0.2.1
                \tSession-Timeout := 3600,
                \tFall-Through = Yes
                """;
        RadiusUser alice = read(users, "").users().get(0);
        assertThat(alice.checkItems()).containsExactly(AttributeItem.of("NAS-IP-Address", "==", "192.0.2.1"));
        assertThat(alice.replyItems()).containsExactly(AttributeItem.of("Session-Timeout", ":=", "3600"));
    }

    @Test
    void serviceEntryWithoutRepliesStillGrantsTheService() throws ImportException {
        RadiusUser alice = read("alice@example.com Service-Type == \"SIP-Caller-AVPs\"\n", "").users().get(0);
        assertThat(alice.hasServiceEntry("SIP-Caller-AVPs")).isTrue();
        assertThat(alice.hasServiceEntry("Call-Check")).isFalse();
    }

    @Test
    void defaultEntriesWithFallThrough() throws ImportException {
        String users = """
                DEFAULT Service-Type == Framed-User, Framed-Protocol == PPP
                \tSession-Timeout = 600,
                \tFall-Through = Yes

                DEFAULT Auth-Type := Accept
                \tReply-Message = "welcome",
                \tFall-Through = no

                DEFAULT Auth-Type := Digest
                """;
        List<DefaultEntry> d = read(users, "").defaults();

        assertThat(d).extracting(DefaultEntry::ordinal, DefaultEntry::authType, DefaultEntry::fallThrough)
                .containsExactly(
                        tuple(0, null, true),
                        tuple(1, RadiusUser.AuthType.ACCEPT, false),
                        tuple(2, RadiusUser.AuthType.DIGEST, false));
        assertThat(d.get(0).checkItems()).containsExactly(
                AttributeItem.of("Service-Type", "==", "Framed-User"),
                AttributeItem.of("Framed-Protocol", "==", "PPP"));
        assertThat(d.get(0).replyItems()).containsExactly(AttributeItem.of("Session-Timeout", "=", "600"));
        assertThat(d.get(1).replyItems()).containsExactly(AttributeItem.of("Reply-Message", "=", "welcome"));
        assertThat(read(users, "").users()).isEmpty();
    }

    @Test
    void attributeNamesAreCheckedCaseInsensitively() throws ImportException {
        String users = """
                alice Cleartext-Password := "pw"
                \tsip-avp += "x",
                \tSIP-AVP += "y",
                \treply-message = "z"
                """;
        assertThat(read(users, "").users().get(0).replyItems()).extracting(AttributeItem::attribute)
                .containsExactly("sip-avp", "SIP-AVP", "reply-message");
    }

    @Test
    void escapesInQuotedReplyValues() throws ImportException {
        String users = """
                alice Cleartext-Password := "p\\"w#1"
                \tReply-Message = "Hello, \\"alice\\"\\n# not a comment"
                """;
        RadiusUser alice = read(users, "").users().get(0);
        assertThat(alice.cleartextPassword()).isEqualTo("p\"w#1");
        assertThat(alice.replyItems()).singleElement().extracting(AttributeItem::value)
                .isEqualTo("Hello, \"alice\"\n# not a comment");
    }

    // ---------------------------------------------------------------- bad files

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown check attribute    | alice Cleartext-Password := "pw", Sip-Colour == "red"             | 1 | unknown attribute Sip-Colour
            unknown reply attribute    | # c\\nalice Cleartext-Password := "pw"\\n\\tReply-Mesage = "hi"   | 3 | unknown attribute Reply-Mesage
            unknown in DEFAULT         | DEFAULT Auth-Type := Accept\\n\\tSip-Avp-Typo += "x"              | 2 | unknown attribute Sip-Avp-Typo
            bad operator               | alice Cleartext-Password ~~ "pw"                                  | 1 | Attribute op value
            unterminated string        | \\nalice Cleartext-Password := "pw                                | 2 | unterminated string
            missing comma              | alice Cleartext-Password := "pw"\\n\\tReply-Message = "a"\\n\\tSession-Timeout = 5 | 3 | missing comma
            unsupported Auth-Type      | alice Auth-Type := Local                                          | 1 | Auth-Type Local is not supported
            unsupported DEFAULT type   | DEFAULT Auth-Type := PAP                                          | 1 | Auth-Type PAP is not supported
            bad Digest-HA1             | alice@example.com Digest-HA1 := "xyz"                             | 1 | not 32 hex digits
            Reject in a service entry  | alice Auth-Type := Reject, Sip-Group == "voip", Service-Type == "Group-Check" | 1 | not supported
            """)
    void reportsEachErrorWithItsLine(String what, String escapedText, int line, String message) {
        String text = escapedText.replace("\\n", "\n").replace("\\t", "\t") + "\n";
        ImportException e = readFails(text, "");
        assertThat(e.problems()).as(what).singleElement().asString()
                .startsWith("line " + line + ":")
                .contains(message);
    }

    @Test
    void everyProblemIsListedAndNothingIsReturned() {
        String users = TUTORIAL_USERS + """

                alice Cleartext-Password := "pw", Sip-Colour == "red"
                bob Cleartext-Password ~~ "pw"
                carol Cleartext-Password := "pw
                dave Cleartext-Password := "pw"
                \tReply-Message = "a"
                \tSession-Timeout = 5
                """;
        ImportException e = readFails(users, "");

        assertThat(e.problems()).hasSize(4);
        assertThat(e.problems()).anySatisfy(p -> assertThat(p)
                .startsWith("line " + lineOf(users, "alice ") + ":").contains("unknown attribute Sip-Colour"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p)
                .startsWith("line " + lineOf(users, "bob ") + ":").contains("Attribute op value"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p)
                .startsWith("line " + lineOf(users, "carol ") + ":").contains("unterminated string"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p)
                .startsWith("line " + lineOf(users, "Session-Timeout = 5") + ":").contains("missing comma"));
        assertThat(e.getMessage()).startsWith("users: 4 problem(s), nothing imported");
    }
}
