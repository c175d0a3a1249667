package org.tollgate.aaa.radius.auth;

import java.util.Objects;

/**
 * A check or reply item as FreeRADIUS writes it: {@code Attribute op "value"}.
 * Reply items carry the Service-Type they answer (null: an authentication).
 */
public record AttributeItem(String attribute, String op, String value, String serviceType) {

    public AttributeItem {
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(value, "value");
    }

    public static AttributeItem of(String attribute, String op, String value) {
        return new AttributeItem(attribute, op, value, null);
    }

    /** Parses {@code Attr=Value}, {@code Attr := Value} or {@code Attr += Value} (CLI form). */
    public static AttributeItem parseReply(String text) {
        int i = text.indexOf('=');
        if (i <= 0) {
            throw new IllegalArgumentException("expected Attribute=Value, got '" + text + "'");
        }
        String op = "=";
        String attr = text.substring(0, i);
        if (attr.endsWith(":") || attr.endsWith("+")) {
            op = attr.charAt(attr.length() - 1) + "=";
            attr = attr.substring(0, attr.length() - 1);
        }
        attr = attr.trim();
        if (attr.isEmpty()) {
            throw new IllegalArgumentException("expected Attribute=Value, got '" + text + "'");
        }
        String value = text.substring(i + 1).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        return new AttributeItem(attr, op, value, null);
    }

    @Override
    public String toString() {
        return attribute + " " + op + " \"" + value + "\"";
    }
}
