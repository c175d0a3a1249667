package org.tollgate.diameter.dictionary;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Diameter AVPs Tollgate knows, read from the text files of {@code dictionaries/diameter/}
 * (see {@code dictionary.rfc6733} for the format) plus any files of an extra directory. It names
 * AVPs for storage and decides which mandatory AVPs a request may carry (RFC 6733 §4.1: an
 * unknown AVP with the M bit is answered DIAMETER_AVP_UNSUPPORTED).
 */
public final class DiameterDictionary {

    static final String BASE = "dictionaries/diameter/";
    static final List<String> SHIPPED = List.of("dictionary.rfc6733", "dictionary.rfc4006", "dictionary.rfc7155",
            "dictionary.kamailio-acc");

    private final Map<Long, AvpDefinition> byKey;
    private final Map<String, AvpDefinition> byName;

    private DiameterDictionary(Map<Long, AvpDefinition> byKey) {
        this.byKey = Map.copyOf(byKey);
        Map<String, AvpDefinition> names = new HashMap<>();
        byKey.values().forEach(d -> names.put(d.name().toLowerCase(java.util.Locale.ROOT), d));
        this.byName = Map.copyOf(names);
    }

    /** The shipped files, then every regular file of {@code extraDir} (null: none) in name order. */
    public static DiameterDictionary load(Path extraDir) {
        Map<Long, AvpDefinition> avps = new HashMap<>();
        for (String file : SHIPPED) {
            try (InputStream in = DiameterDictionary.class.getClassLoader().getResourceAsStream(BASE + file)) {
                if (in == null) {
                    throw new IllegalStateException("Diameter dictionary " + BASE + file + " missing from the class path");
                }
                parse(new InputStreamReader(in, StandardCharsets.UTF_8), file, avps);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read Diameter dictionary " + file + ": " + e.getMessage(), e);
            }
        }
        if (extraDir != null && Files.isDirectory(extraDir)) {
            try (Stream<Path> files = Files.list(extraDir)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                        parse(r, f.toString(), avps);
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read Diameter dictionaries in " + extraDir + ": " + e.getMessage(), e);
            }
        }
        return new DiameterDictionary(avps);
    }

    /** Parses one file into {@code avps}; a bad line fails with its file and line number. */
    static void parse(Reader reader, String source, Map<Long, AvpDefinition> avps) throws IOException {
        BufferedReader in = new BufferedReader(reader);
        List<String[]> values = new ArrayList<>();
        List<Integer> valueLines = new ArrayList<>();
        String line;
        int n = 0;
        while ((line = in.readLine()) != null) {
            n++;
            int hash = line.indexOf('#');
            String[] f = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
            if (f.length == 0 || f[0].isEmpty()) {
                continue;
            }
            try {
                switch (f[0]) {
                    case "AVP" -> {
                        if (f.length < 4) {
                            throw new IllegalArgumentException("AVP needs a name, a code and a type");
                        }
                        long vendor = 0;
                        boolean mandatory = false;
                        for (int i = 4; i < f.length; i++) {
                            if (f[i].equals("M")) {
                                mandatory = true;
                            } else if (f[i].startsWith("vendor=")) {
                                vendor = Long.parseLong(f[i].substring(7));
                            } else {
                                throw new IllegalArgumentException("unknown option " + f[i]);
                            }
                        }
                        int code = Integer.parseInt(f[2]);
                        avps.put(key(code, vendor), new AvpDefinition(f[1], code, vendor, AvpType.of(f[3]), mandatory,
                                Map.of()));
                    }
                    case "VALUE" -> {
                        if (f.length != 4) {
                            throw new IllegalArgumentException("VALUE needs an AVP name, a value name and a number");
                        }
                        Long.parseLong(f[3]);
                        values.add(f);
                        valueLines.add(n);
                    }
                    default -> throw new IllegalArgumentException("unknown keyword " + f[0]);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + n + ": " + e.getMessage(), e);
            }
        }
        Map<String, Long> keys = new HashMap<>();
        avps.forEach((key, def) -> keys.put(def.name().toLowerCase(java.util.Locale.ROOT), key));
        for (int i = 0; i < values.size(); i++) {
            String[] f = values.get(i);
            Long key = keys.get(f[1].toLowerCase(java.util.Locale.ROOT));
            if (key == null) {
                throw new IllegalArgumentException(source + " line " + valueLines.get(i) + ": VALUE for unknown AVP " + f[1]);
            }
            avps.put(key, avps.get(key).withValue(Long.parseLong(f[3]), f[2]));
        }
    }

    static long key(int code, long vendorId) {
        return (vendorId << 32) | (code & 0xffffffffL);
    }

    public Optional<AvpDefinition> avp(int code, long vendorId) {
        return Optional.ofNullable(byKey.get(key(code, vendorId)));
    }

    public boolean knows(int code, long vendorId) {
        return byKey.containsKey(key(code, vendorId));
    }

    public Optional<AvpDefinition> avp(String name) {
        return Optional.ofNullable(byName.get(name.toLowerCase(java.util.Locale.ROOT)));
    }
}
