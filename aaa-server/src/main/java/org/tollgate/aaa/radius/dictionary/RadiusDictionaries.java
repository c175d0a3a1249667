package org.tollgate.aaa.radius.dictionary;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.tinyradius.core.dictionary.Dictionary;
import org.tinyradius.core.dictionary.WritableDictionary;
import org.tinyradius.core.dictionary.parser.ResourceParser;
import org.tinyradius.core.dictionary.parser.resolver.ClasspathResourceResolver;
import org.tinyradius.core.dictionary.parser.resolver.FileResourceResolver;

/**
 * The FreeRADIUS-format dictionaries shipped in {@code dictionaries/} (on the class path),
 * one per {@link DictionaryProfile}, plus any extra files of a configured directory, which
 * are added to every profile.
 */
public final class RadiusDictionaries {

    private static final String BASE = "dictionaries/";

    private final Map<DictionaryProfile, Dictionary> byProfile;
    private final Map<DictionaryProfile, AttributeNames> names = new EnumMap<>(DictionaryProfile.class);
    private final Map<Integer, String> digestSubAttributes;

    private RadiusDictionaries(Map<DictionaryProfile, Dictionary> byProfile, Map<Integer, String> digestSub) {
        this.byProfile = byProfile;
        this.digestSubAttributes = digestSub;
        byProfile.forEach((p, d) -> names.put(p, new AttributeNames(d)));
    }

    /** Loads the shipped dictionaries and, when {@code extraDir} is not null, every file in it. */
    public static RadiusDictionaries load(Path extraDir) {
        List<Path> extra = extraFiles(extraDir);
        Map<DictionaryProfile, Dictionary> map = new EnumMap<>(DictionaryProfile.class);
        for (DictionaryProfile profile : DictionaryProfile.values()) {
            String resource = BASE + "dictionary.profile." + profile.id();
            try {
                WritableDictionary dictionary = new ResourceParser(new CaseInsensitiveDictionary(),
                        ClasspathResourceResolver.INSTANCE).parseDictionary(resource);
                for (Path file : extra) {
                    new ResourceParser(dictionary, FileResourceResolver.INSTANCE).parseDictionary(file.toString());
                }
                map.put(profile, dictionary);
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("cannot load RADIUS dictionary " + resource + ": " + e.getMessage(), e);
            }
        }
        return new RadiusDictionaries(map, loadDigestSubAttributes());
    }

    public Dictionary forProfile(DictionaryProfile profile) {
        return byProfile.get(profile);
    }

    public AttributeNames names(DictionaryProfile profile) {
        return names.get(profile);
    }

    /** Name of a draft-sterman Digest-Attributes (207) sub-attribute, e.g. 1 → Digest-Realm. */
    public String digestSubAttributeName(int subType) {
        return digestSubAttributes.getOrDefault(subType, "Digest-Attr-" + subType);
    }

    private static List<Path> extraFiles(Path dir) {
        if (dir == null) {
            return List.of();
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("tollgate.radius.dictionary-dir " + dir + " is not a directory");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // FreeRADIUS numbers these 1062 + sub-type; TinyRadius cannot hold numbers above 255.
    private static Map<Integer, String> loadDigestSubAttributes() {
        Map<Integer, String> names = new HashMap<>();
        try (InputStream in = RadiusDictionaries.class.getClassLoader().getResourceAsStream(BASE + "dictionary.digest-sub")) {
            if (in == null) {
                throw new IllegalStateException("dictionary.digest-sub missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String raw : reader.lines().toList()) {
                String line = raw.replaceAll("#.*", "").trim();
                if (line.isEmpty()) {
                    continue;
                }
                String[] tok = line.split("\\s+");
                if (tok.length >= 3 && tok[0].equals("ATTRIBUTE")) {
                    names.put(Integer.parseInt(tok[2]) - 1062, tok[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(names);
    }
}
