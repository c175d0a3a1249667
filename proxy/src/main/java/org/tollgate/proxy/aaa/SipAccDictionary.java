package org.tollgate.proxy.aaa;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

import org.tinyradius.core.attribute.AttributeTemplate;
import org.tinyradius.core.dictionary.Dictionary;
import org.tinyradius.core.dictionary.parser.ResourceParser;
import org.tinyradius.core.dictionary.parser.resolver.ClasspathResourceResolver;

/**
 * The {@code sip-acc} dictionary profile from the class path (the proxy jar packages the shared
 * {@code dictionaries/} folder), loaded once: Sip-Method is 101 here, as Kamailio's acc sends it.
 */
public final class SipAccDictionary {

    static final String RESOURCE = "dictionaries/dictionary.profile.sip-acc";

    private static volatile Dictionary instance;

    private SipAccDictionary() {
    }

    public static Dictionary get() {
        Dictionary d = instance;
        if (d == null) {
            synchronized (SipAccDictionary.class) {
                d = instance;
                if (d == null) {
                    d = load();
                    instance = d;
                }
            }
        }
        return d;
    }

    private static Dictionary load() {
        try {
            return new ResourceParser(new CaseInsensitiveDictionary(), ClasspathResourceResolver.INSTANCE)
                    .parseDictionary(RESOURCE);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot load RADIUS dictionary " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /**
     * The number behind an enumerated value: exact name, then the usual spellings of it
     * ({@code REGISTER} → {@code Register}, {@code interim-update} → {@code Interim-Update}), then a number.
     */
    static Optional<Integer> enumValue(AttributeTemplate t, String value) {
        for (String candidate : new String[] {value, capitalized(value), value.toUpperCase(Locale.ROOT)}) {
            Integer n = t.getEnumeration(candidate);
            if (n != null) {
                return Optional.of(n);
            }
        }
        try {
            return Optional.of(Integer.parseUnsignedInt(value.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String capitalized(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean start = true;
        for (char c : s.toCharArray()) {
            b.append(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
            start = c == '-' || c == '_' || c == ' ';
        }
        return b.toString();
    }
}
