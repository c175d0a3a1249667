package org.tollgate.aaa.radius.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AttributeItemTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            Reply-Message=Hello                  | Reply-Message   | =  | Hello
            SIP-AVP+=#2:1.2.3.4                  | SIP-AVP         | += | #2:1.2.3.4
            Session-Timeout:=60                  | Session-Timeout | := | 60
            Reply-Message="Hello, world"         | Reply-Message   | =  | Hello, world
            SIP-AVP += "rpid:101"                | SIP-AVP         | += | rpid:101
            Session-Timeout := 60                | Session-Timeout | := | 60
            Reply-Message = a=b                  | Reply-Message   | =  | a=b
            Reply-Message=""                     | Reply-Message   | =  | ``
            Reply-Message=                       | Reply-Message   | =  | ``
            Reply-Message="                      | Reply-Message   | =  | "
            """)
    void parsesTheCliForm(String text, String attribute, String op, String value) {
        AttributeItem item = AttributeItem.parseReply(text);
        assertThat(item.attribute()).isEqualTo(attribute);
        assertThat(item.op()).isEqualTo(op);
        assertThat(item.value()).isEqualTo(value);
        assertThat(item.serviceType()).isNull();
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "Reply-Message", "=Hello", "Reply-Message Hello"})
    void rejectsTextWithoutAttributeOrEquals(String text) {
        assertThatThrownBy(() -> AttributeItem.parseReply(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {":=60", "+=x", " =x", "  :=  60"})
    void rejectsOperatorWithoutAttribute(String text) {
        assertThatThrownBy(() -> AttributeItem.parseReply(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void factoryAndRequiredFields() {
        assertThat(AttributeItem.of("Reply-Message", "=", "x"))
                .isEqualTo(new AttributeItem("Reply-Message", "=", "x", null));
        assertThatThrownBy(() -> AttributeItem.of(null, "=", "x")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> AttributeItem.of("A", null, "x")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> AttributeItem.of("A", "=", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void toStringUsesUsersFileSyntax() {
        assertThat(AttributeItem.of("SIP-AVP", "+=", "#2:1.2.3.4")).hasToString("SIP-AVP += \"#2:1.2.3.4\"");
    }
}
