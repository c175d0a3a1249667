package org.tollgate.aaa.radius.dictionary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tinyradius.core.attribute.AttributeTemplate;
import org.tinyradius.core.dictionary.Dictionary;

class RadiusDictionariesTest {

    private static final int STANDARD = -1;

    private static RadiusDictionaries dictionaries;
    private static Dictionary sipAcc;
    private static Dictionary rfc;

    @BeforeAll
    static void load() {
        dictionaries = RadiusDictionaries.load(null);
        sipAcc = dictionaries.forProfile(DictionaryProfile.SIP_ACC);
        rfc = dictionaries.forProfile(DictionaryProfile.RFC);
    }

    private static Optional<String> name(Dictionary d, int vendorId, int type) {
        return d.getAttributeTemplate(vendorId, type).map(AttributeTemplate::getName);
    }

    @ParameterizedTest(name = "sip-acc {0}/{1} = {2}")
    @CsvSource({
            "-1,   1, User-Name",
            "-1,  40, Acct-Status-Type",
            "-1, 101, Sip-Method",
            "-1, 102, Sip-Response-Code",
            "-1, 103, Sip-Cseq",
            "-1, 206, Digest-Response",
            "-1, 207, Digest-Attributes",
            "-1, 211, Sip-Group",
            "-1, 225, SIP-AVP",
            " 9,   1, Cisco-AVPair",
    })
    void sipAccProfileNames(int vendorId, int type, String expected) {
        assertThat(name(sipAcc, vendorId, type)).contains(expected);
    }

    @ParameterizedTest(name = "rfc {0}/{1} = {2}")
    @CsvSource({
            "-1, 101, Error-Cause",
            "-1, 103, Digest-Response",
            "-1, 104, Digest-Realm",
            "-1, 206, Sterman-Digest-Response",
            "-1, 211, Sip-Group",
            "-1, 225, SIP-AVP",
            " 9,   1, Cisco-AVPair",
    })
    void rfcProfileNames(int vendorId, int type, String expected) {
        assertThat(name(rfc, vendorId, type)).contains(expected);
    }

    @Test
    void profilesDoNotLeakIntoEachOther() {
        assertThat(sipAcc.getAttributeTemplate("Error-Cause")).isEmpty();
        assertThat(rfc.getAttributeTemplate("Sip-Method")).isEmpty();
        assertThat(rfc.getAttributeTemplate("Sip-Cseq")).isEmpty();
    }

    @Test
    void kamailioValues() {
        for (Dictionary d : new Dictionary[] {sipAcc, rfc}) {
            AttributeTemplate serviceType = d.getAttributeTemplate("Service-Type").orElseThrow();
            assertThat(serviceType.getEnumeration(12)).isEqualTo("Group-Check");
            assertThat(serviceType.getEnumeration(31)).isEqualTo("SIP-Callee-AVPs");
            assertThat(serviceType.getEnumeration("Group-Check")).isEqualTo(12);
            assertThat(d.getAttributeTemplate("Acct-Status-Type").orElseThrow().getEnumeration(15)).isEqualTo("Failed");
        }
    }

    @Test
    void sipMethodOneDecodesAsInvite() {
        AttributeTemplate sipMethod = sipAcc.getAttributeTemplate(STANDARD, 101).orElseThrow();
        assertThat(sipMethod.getEnumeration(1)).isEqualTo("INVITE");
        assertThat(sipMethod.getEnumeration(8)).isEqualTo("BYE");
        assertThat(sipAcc.createAttribute(STANDARD, 101, new byte[] {0, 0, 0, 1}).getValueString()).isEqualTo("INVITE");
        // both spellings encode
        assertThat(sipMethod.getEnumeration("Invite")).isEqualTo(1);
        assertThat(sipMethod.getEnumeration("INVITE")).isEqualTo(1);
    }

    @Test
    void digestSubAttributes() {
        assertThat(dictionaries.digestSubAttributeName(1)).isEqualTo("Digest-Realm");
        assertThat(dictionaries.digestSubAttributeName(2)).isEqualTo("Digest-Nonce");
        assertThat(dictionaries.digestSubAttributeName(10)).isEqualTo("Digest-User-Name");
        assertThat(dictionaries.digestSubAttributeName(99)).isEqualTo("Digest-Attr-99");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "sip-avp,          SIP-AVP",
            "Sip-Avp,          SIP-AVP",
            "SIP-AVP,          SIP-AVP",
            "user-name,        User-Name",
            "SIP-GROUP,        Sip-Group",
            "cisco-avpair,     Cisco-AVPair",
    })
    void nameLookupIgnoresCase(String asWritten, String canonical) {
        assertThat(sipAcc.getAttributeTemplate(asWritten)).map(AttributeTemplate::getName).contains(canonical);
        assertThat(rfc.getAttributeTemplate(asWritten)).map(AttributeTemplate::getName).contains(canonical);
    }

    @Test
    void unknownNameIsEmpty() {
        assertThat(sipAcc.getAttributeTemplate("Sip-Colour")).isEmpty();
        assertThat(sipAcc.getAttributeTemplate(STANDARD, 250)).isEmpty();
    }

    @Test
    void extraDirectoryAddsToEveryProfile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("dictionary.local"), """
                # site-local attributes
                ATTRIBUTE   Tollgate-Test-Tariff    240   string
                ATTRIBUTE   Tollgate-Test-Level     241   integer
                VALUE       Tollgate-Test-Level     Gold   3
                """);
        RadiusDictionaries withExtra = RadiusDictionaries.load(dir);

        for (DictionaryProfile p : DictionaryProfile.values()) {
            Dictionary d = withExtra.forProfile(p);
            assertThat(name(d, STANDARD, 240)).as(p.id()).contains("Tollgate-Test-Tariff");
            assertThat(d.getAttributeTemplate("tollgate-test-level")).as(p.id())
                    .map(t -> t.getEnumeration(3)).contains("Gold");
        }
        // the shipped attributes are still there, and the default load does not have the extra ones
        assertThat(name(withExtra.forProfile(DictionaryProfile.SIP_ACC), STANDARD, 101)).contains("Sip-Method");
        assertThat(name(withExtra.forProfile(DictionaryProfile.RFC), STANDARD, 101)).contains("Error-Cause");
        assertThat(name(sipAcc, STANDARD, 240)).isEmpty();
    }

    @Test
    void emptyExtraDirectoryChangesNothing(@TempDir Path dir) {
        RadiusDictionaries d = RadiusDictionaries.load(dir);
        assertThat(name(d.forProfile(DictionaryProfile.SIP_ACC), STANDARD, 225)).contains("SIP-AVP");
    }

    @Test
    void extraPathMustBeADirectory(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("dictionary.local"), "ATTRIBUTE X 240 string\n");
        assertThatThrownBy(() -> RadiusDictionaries.load(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a directory");
        assertThatThrownBy(() -> RadiusDictionaries.load(dir.resolve("missing")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void brokenExtraFileFailsLoudly(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("dictionary.bad"), "ATTRIBUTE Broken notanumber string\n");
        assertThatThrownBy(() -> RadiusDictionaries.load(dir)).isInstanceOf(IllegalStateException.class);
    }
}
