package org.tollgate.diameter.dictionary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiameterDictionaryTest {

    @Test
    void theShippedFilesNameTheBaseCreditControlNasreqAndKamailioAvps() {
        DiameterDictionary d = DiameterDictionary.load(null);
        assertThat(d.avp(263, 0)).get().extracting(AvpDefinition::name).isEqualTo("Session-Id");
        assertThat(d.avp(416, 0)).get().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AvpType.Enumerated);
            assertThat(a.values()).containsEntry(3L, "TERMINATION_REQUEST");
        });
        assertThat(d.avp("called-station-id")).get().extracting(AvpDefinition::code).isEqualTo(30);
        assertThat(d.avp(550, 0)).get().extracting(AvpDefinition::name).isEqualTo("SIP-Callid");
        assertThat(d.knows(77777, 0)).isFalse();
    }

    @Test
    void extraFilesAddVendorAvps(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("dictionary.3gpp"), "AVP SIP-Method-3GPP 824 UTF8String vendor=10415 M\n");
        DiameterDictionary d = DiameterDictionary.load(dir);
        assertThat(d.knows(824, 10415)).isTrue();
        assertThat(d.knows(824, 0)).isFalse();
    }

    @Test
    void aBadLineIsRefusedWithItsFileAndLine() {
        Map<Long, AvpDefinition> avps = new HashMap<>();
        assertThatThrownBy(() -> DiameterDictionary.parse(new StringReader("# ok\nAVP A 1 UTF8String\nAVP B x Unsigned32\n"),
                "extra", avps)).hasMessageStartingWith("extra line 3:");
        assertThatThrownBy(() -> DiameterDictionary.parse(new StringReader("AVP A 1 Text\n"), "extra", avps))
                .hasMessageContaining("line 1").hasMessageContaining("unknown AVP type Text");
        assertThatThrownBy(() -> DiameterDictionary.parse(new StringReader("VALUE Nope X 1\n"), "extra", avps))
                .hasMessageContaining("line 1").hasMessageContaining("VALUE for unknown AVP Nope");
    }
}
