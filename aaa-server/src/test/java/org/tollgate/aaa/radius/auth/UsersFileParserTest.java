package org.tollgate.aaa.radius.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tollgate.aaa.radius.auth.UsersFileParser.Entry;
import org.tollgate.aaa.radius.auth.UsersFileParser.Item;

class UsersFileParserTest {

    private final List<String> problems = new ArrayList<>();

    private List<Entry> parse(String text) {
        return UsersFileParser.parse(text, problems);
    }

    @Test
    void readsEntriesWithChecksAndContinuedReplies() {
        List<Entry> entries = parse("""
                # a comment
                101@kamailio.org Auth-Type := Digest, User-Password == "101"
                \tReply-Message = "Authenticated",
                \tSip-Avp += "rpid:101",
                \tSip-Avp += "#2:192.168.2.10",   # trailing comment
                \tSip-Avp += "#2:192.168.2.11"

                DEFAULT Auth-Type := Reject, Service-Type == "Group-Check"
                """);

        assertThat(problems).isEmpty();
        assertThat(entries).extracting(Entry::line, Entry::name).containsExactly(
                tuple(2, "101@kamailio.org"), tuple(8, "DEFAULT"));
        Entry user = entries.get(0);
        assertThat(user.checks()).containsExactly(
                new Item(2, "Auth-Type", ":=", "Digest"),
                new Item(2, "User-Password", "==", "101"));
        assertThat(user.replies()).containsExactly(
                new Item(3, "Reply-Message", "=", "Authenticated"),
                new Item(4, "Sip-Avp", "+=", "rpid:101"),
                new Item(5, "Sip-Avp", "+=", "#2:192.168.2.10"),
                new Item(6, "Sip-Avp", "+=", "#2:192.168.2.11"));
        assertThat(entries.get(1).checks()).containsExactly(
                new Item(8, "Auth-Type", ":=", "Reject"),
                new Item(8, "Service-Type", "==", "Group-Check"));
        assertThat(entries.get(1).replies()).isEmpty();
    }

    @Test
    void quotedValuesKeepCommasAndHashes() {
        List<Entry> entries = parse("""
                102@kamailio.org Auth-Type := Accept, Service-Type == "SIP-Callee-AVPs"
                \tSip-Avp += "#3#1",
                \tSip-Avp += "#6:Mon,Wed,Thu,Fri"
                """);
        assertThat(problems).isEmpty();
        assertThat(entries.get(0).replies()).extracting(Item::value).containsExactly("#3#1", "#6:Mon,Wed,Thu,Fri");
    }

    @Test
    void unquotedValuesAndSeveralRepliesOnOneLine() {
        List<Entry> entries = parse("""
                bob Cleartext-Password := secret, NAS-Port-Type == Virtual
                \tSession-Timeout = 60, Idle-Timeout = 30,
                \tFall-Through = Yes
                """);
        assertThat(problems).isEmpty();
        assertThat(entries.get(0).checks()).extracting(Item::attribute, Item::op, Item::value).containsExactly(
                tuple("Cleartext-Password", ":=", "secret"), tuple("NAS-Port-Type", "==", "Virtual"));
        assertThat(entries.get(0).replies()).extracting(Item::line, Item::attribute, Item::value).containsExactly(
                tuple(2, "Session-Timeout", "60"), tuple(2, "Idle-Timeout", "30"), tuple(3, "Fall-Through", "Yes"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {":=", "==", "+=", "!=", ">=", "<=", "=~", "!~", "=*", "!*", "=", ">", "<"})
    void recognisesEveryOperator(String op) {
        List<Entry> entries = parse("u Some-Attr " + op + " \"v\"\n");
        assertThat(problems).isEmpty();
        assertThat(entries.get(0).checks()).containsExactly(new Item(1, "Some-Attr", op, "v"));
    }

    @Test
    void operatorNeedsNoSpaces() {
        List<Entry> entries = parse("u Auth-Type:=Accept,Service-Type==\"Call-Check\"\n");
        assertThat(problems).isEmpty();
        assertThat(entries.get(0).checks()).extracting(Item::attribute, Item::op, Item::value).containsExactly(
                tuple("Auth-Type", ":=", "Accept"), tuple("Service-Type", "==", "Call-Check"));
    }

    static Stream<Arguments> escapes() {
        return Stream.of(
                // file text (between the quotes)   value read
                Arguments.of("a \\\"quoted\\\" word", "a \"quoted\" word"),
                Arguments.of("tab\\there", "tab\there"),
                Arguments.of("new\\nline", "new\nline"),
                Arguments.of("cr\\rhere", "cr\rhere"),
                Arguments.of("back\\\\slash # not a comment", "back\\slash # not a comment"),
                Arguments.of("end \\\" # still quoted", "end \" # still quoted"),
                Arguments.of("other \\x escape", "other x escape"),
                Arguments.of("", ""));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @MethodSource("escapes")
    void escapesInQuotedStrings(String inFile, String expected) {
        List<Entry> entries = parse("u\n\tReply-Message = \"" + inFile + "\"\n");
        assertThat(problems).isEmpty();
        assertThat(entries.get(0).replies()).singleElement().extracting(Item::value).isEqualTo(expected);
    }

    @Test
    void quotedUserName() {
        List<Entry> entries = parse("\"john doe\" Cleartext-Password := \"x\"\n");
        assertThat(problems).isEmpty();
        assertThat(entries.get(0).name()).isEqualTo("john doe");
    }

    @Test
    void crlfLineEndings() {
        List<Entry> entries = parse("a Auth-Type := Accept\r\n\tReply-Message = \"x\",\r\n\tSession-Timeout = 5\r\nb Auth-Type := Reject\r\n");
        assertThat(problems).isEmpty();
        assertThat(entries).extracting(Entry::name).containsExactly("a", "b");
        assertThat(entries.get(0).replies()).extracting(Item::value).containsExactly("x", "5");
        assertThat(entries.get(1).line()).isEqualTo(4);
    }

    @Test
    void replyLineAfterALineWithoutCommaIsReported() {
        List<Entry> entries = parse("""
                alice Cleartext-Password := "pw"
                \tReply-Message = "Hello"
                \tSession-Timeout = 60
                """);
        assertThat(problems).singleElement().asString().startsWith("line 3:").contains("missing comma");
        assertThat(entries.get(0).replies()).extracting(Item::attribute).containsExactly("Reply-Message");
    }

    @Test
    void replyLineBeforeAnyEntryIsReported() {
        parse("# header\n\tReply-Message = \"orphan\"\n");
        assertThat(problems).singleElement().asString().startsWith("line 2:");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            bad operator          | u User-Password ~~ "x"                      | line 1:
            no operator           | u User-Password "x"                         | line 1:
            missing attribute     | u := "x"                                    | line 1:
            unterminated string   | u User-Password == "x                       | line 1:
            unterminated name     | "john Cleartext-Password := x               | line 1:
            junk after value      | u User-Password == "x" Auth-Type := Accept  | line 1:
            reply bad operator    | u Auth-Type := Accept\\n\\tReply-Message ~ "x" | line 2:
            unterminated reply    | u Auth-Type := Accept\\n\\n\\tReply-Message = "x | line 3:
            """)
    void reportsSyntaxErrorsWithTheirLine(String what, String escapedText, String expectedLine) {
        parse(escapedText.replace("\\n", "\n").replace("\\t", "\t"));
        assertThat(problems).as(what).singleElement().asString().startsWith(expectedLine);
    }

    @Test
    void unterminatedStringIsNamedInTheMessage() {
        parse("u User-Password == \"x\n");
        assertThat(problems).singleElement().asString().contains("unterminated string", "User-Password");
    }

    @Test
    void collectsEveryProblemOfTheFile() {
        parse("""
                a User-Password ~~ "x"
                b User-Password == "y
                c Auth-Type := Accept
                \tReply-Message = "1"
                \tReply-Message = "2"
                """);
        assertThat(problems).hasSize(3);
        assertThat(problems.get(0)).startsWith("line 1:");
        assertThat(problems.get(1)).startsWith("line 2:");
        assertThat(problems.get(2)).startsWith("line 5:");
    }
}
