package org.tollgate.aaa.radius.auth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.tinyradius.core.attribute.type.RadiusAttribute;
import org.tinyradius.core.attribute.type.VendorSpecificAttribute;
import org.tinyradius.core.dictionary.Dictionary;
import org.tinyradius.core.packet.request.AccessRequestChap;
import org.tinyradius.core.packet.request.AccessRequestPap;
import org.tinyradius.core.packet.request.RadiusRequest;
import org.tollgate.aaa.radius.StorableText;
import org.tollgate.aaa.radius.dictionary.DictionaryProfile;

/** What authorization needs to know of a decoded Access-Request. */
public final class AccessRequestView {

    private static final int USER_NAME = 1;
    private static final int DIGEST_RESPONSE_STERMAN = 206;
    private static final int DIGEST_ATTRIBUTES_STERMAN = 207;
    private static final int STERMAN_REALM = 1;
    private static final int STERMAN_USER_NAME = 10;
    private static final int RFC5090_REALM = 104;
    private static final int RFC5090_USERNAME = 115;

    /** A name the user is looked up by that PostgreSQL cannot hold as text. */
    public record InvalidText(String attribute, StorableText.Problem problem) {
        /** For the Reply-Message. */
        public String message() {
            return attribute + " " + problem.says();
        }
    }

    private final RadiusRequest request;
    private final DictionaryProfile profile;
    private Map<Integer, byte[]> sterman; // parsed once, when first asked for

    public AccessRequestView(RadiusRequest request, DictionaryProfile profile) {
        this.request = request;
        this.profile = profile;
    }

    /** First value of the named attribute as FreeRADIUS prints it (enumerations by name). */
    public Optional<String> value(String name) {
        Dictionary d = request.getDictionary();
        return d.getAttributeTemplate(name).flatMap(t -> request.getAttributes().stream()
                .filter(a -> a.getVendorId() == t.getVendorId() && a.getType() == t.getType())
                .findFirst()
                .map(RadiusAttribute::getValueString));
    }

    /** The values of a vendor's attribute (inside Vendor-Specific) as UTF-8 text, in packet order. */
    public List<String> vendorText(int vendorId, int type) {
        List<String> out = new ArrayList<>(1);
        for (RadiusAttribute a : request.getAttributes()) {
            if (a instanceof VendorSpecificAttribute vsa && vsa.getChildVendorId() == vendorId) {
                for (RadiusAttribute sub : vsa.getAttributes()) {
                    if (sub.getType() == type) {
                        out.add(text(sub));
                    }
                }
            }
        }
        return out;
    }

    /** PAP, CHAP or SIP Digest: the request can prove who the user is. */
    public boolean hasCredentials() {
        return papPassword().isPresent() || hasChap() || digest().isPresent();
    }

    public Optional<String> userName() {
        return request.getAttribute(1).map(a -> new String(a.getValue(), StandardCharsets.UTF_8));
    }

    /**
     * The first of the names a user is looked up by (User-Name, the Digest user name and realm)
     * that is not UTF-8 without NUL, if any: such a request is answered without a lookup.
     */
    public Optional<InvalidText> invalidText() {
        Optional<InvalidText> bad = check("User-Name", request.getAttribute(USER_NAME).map(RadiusAttribute::getValue)
                .orElse(null));
        if (bad.isEmpty() && request.getAttribute(DIGEST_RESPONSE_STERMAN).isPresent()) {
            Map<Integer, byte[]> sub = stermanSubAttributes();
            bad = check("Digest-User-Name", sub.get(STERMAN_USER_NAME));
            if (bad.isEmpty()) {
                bad = check("Digest-Realm", sub.get(STERMAN_REALM));
            }
        } else if (bad.isEmpty() && profile == DictionaryProfile.RFC) {
            bad = check("Digest-Username", request.getAttribute(RFC5090_USERNAME).map(RadiusAttribute::getValue)
                    .orElse(null));
            if (bad.isEmpty()) {
                bad = check("Digest-Realm", request.getAttribute(RFC5090_REALM).map(RadiusAttribute::getValue)
                        .orElse(null));
            }
        }
        return bad;
    }

    private static Optional<InvalidText> check(String attribute, byte[] value) {
        StorableText.Problem p = value == null ? null : StorableText.problem(value);
        return p == null ? Optional.empty() : Optional.of(new InvalidText(attribute, p));
    }

    /** The draft-sterman Digest-Attributes (207): each carries (type, length, value) triples; the first of a type wins. */
    private Map<Integer, byte[]> stermanSubAttributes() {
        if (sterman == null) {
            Map<Integer, byte[]> sub = new HashMap<>();
            for (RadiusAttribute a : request.filterAttributes(DIGEST_ATTRIBUTES_STERMAN)) {
                byte[] v = a.getValue();
                int i = 0;
                while (i + 2 <= v.length) {
                    int type = v[i] & 0xff;
                    int len = v[i + 1] & 0xff;
                    if (len < 2 || i + len > v.length) {
                        break;
                    }
                    sub.putIfAbsent(type, java.util.Arrays.copyOfRange(v, i + 2, i + len));
                    i += len;
                }
            }
            sterman = sub;
        }
        return sterman;
    }

    private static String utf8(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    public Optional<String> serviceType() {
        return value("Service-Type");
    }

    public Optional<String> papPassword() {
        return request instanceof AccessRequestPap pap ? pap.getPassword() : Optional.empty();
    }

    public boolean chapMatches(String cleartext) {
        return request instanceof AccessRequestChap chap && chap.checkPassword(cleartext);
    }

    public boolean hasChap() {
        return request instanceof AccessRequestChap;
    }

    /** SIP Digest in the draft-sterman encoding (206 + 207) or, for RFC-profile clients, RFC 5090. */
    public Optional<DigestCredentials> digest() {
        Optional<RadiusAttribute> sterman = request.getAttribute(DIGEST_RESPONSE_STERMAN);
        if (sterman.isPresent()) {
            Map<Integer, byte[]> sub = stermanSubAttributes();
            return Optional.of(new DigestCredentials(text(sterman.get()), utf8(sub.get(1)), utf8(sub.get(2)),
                    utf8(sub.get(3)), utf8(sub.get(4)), utf8(sub.get(5)), utf8(sub.get(6)), utf8(sub.get(7)),
                    utf8(sub.get(8)), utf8(sub.get(9)), utf8(sub.get(10))));
        }
        if (profile == DictionaryProfile.RFC) {
            Optional<RadiusAttribute> response = request.getAttribute(103);
            if (response.isPresent()) {
                return Optional.of(new DigestCredentials(text(response.get()), num(104), num(105), num(108),
                        num(109), num(110), num(111), num(112), num(113), num(114), num(115)));
            }
        }
        return Optional.empty();
    }

    private String num(int type) {
        return request.getAttribute(type).map(AccessRequestView::text).orElse(null);
    }

    private static String text(RadiusAttribute a) {
        return new String(a.getValue(), StandardCharsets.UTF_8);
    }
}
