package org.tollgate.proxy.routing;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.regex.Pattern;

import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;

import org.tollgate.proxy.location.Binding;
import org.tollgate.proxy.location.LocationService;
import org.tollgate.proxy.media.MediaPolicy;
import org.tollgate.proxy.sip.Headers;
import org.tollgate.proxy.sip.HostPort;
import org.tollgate.proxy.sip.Nat;
import org.tollgate.proxy.sip.SipEndpoint;

/**
 * Where an initial request goes: a local user's contacts (parallel fork), a PSTN number's
 * gateways (in order, failing over), or another domain (the Request-URI as it is).
 */
public final class Router {

    /** The routing decision for one request. */
    public sealed interface Decision {
        /**
         * A local user with its registered contacts, forked in parallel (empty: not found);
         * {@code behindNat}: the contacts registered from behind NAT, with where they are reached.
         */
        record Local(String aor, List<URI> contacts, Map<URI, HostPort> behindNat) implements Decision { }

        /** A PSTN number to send to the first gateway, then the next on failure. */
        record Pstn(List<URI> gateways, MediaPolicy media) implements Decision { }

        /** Another domain: forward to the Request-URI. */
        record Foreign(URI target) implements Decision { }
    }

    private record CompiledRoute(PstnRoute route, Pattern pattern) { }

    private final List<String> domains;
    private final SipEndpoint sip;
    private final LocationService location;
    private final List<CompiledRoute> routes;

    public Router(List<String> domains, List<PstnRoute> routes, SipEndpoint sip, LocationService location) {
        this.domains = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
        this.sip = sip;
        this.location = location;
        this.routes = routes.stream().map(r -> new CompiledRoute(r,
                r.pattern() == null || r.pattern().isEmpty() ? null : Pattern.compile(r.pattern()))).toList();
    }

    /** True when the URI is for this proxy: one of its domains, or its own address. */
    public boolean isOurs(URI uri) {
        String host = Headers.host(uri);
        return host != null && (domains.contains(host.toLowerCase(Locale.ROOT)) || sip.isMe(uri));
    }

    /** The address of record a URI of ours stands for ("user@first-domain" when addressed to our IP). */
    public String aor(URI uri) {
        String host = Headers.host(uri).toLowerCase(Locale.ROOT);
        String domain = domains.contains(host) ? host : domains.get(0);
        return Headers.user(uri) + "@" + domain;
    }

    /** The PSTN route of a number, or null. */
    public PstnRoute pstnRoute(String user) {
        if (user == null) {
            return null;
        }
        for (CompiledRoute r : routes) {
            if (r.pattern != null ? r.pattern.matcher(user).matches() : user.startsWith(r.route.prefix())) {
                return r.route;
            }
        }
        return null;
    }

    /** True when {@link #route} would answer {@link Decision.Local}, without looking up any contact. */
    public boolean isLocalUser(URI requestUri) {
        return isOurs(requestUri) && pstnRoute(Headers.user(requestUri)) == null;
    }

    public Decision route(URI requestUri, AddressFactory addresses) throws ParseException {
        if (!isOurs(requestUri)) {
            return new Decision.Foreign(requestUri);
        }
        String user = Headers.user(requestUri);
        PstnRoute pstn = pstnRoute(user);
        if (pstn != null) {
            String number = user.substring(Math.min(pstn.strip(), user.length()));
            List<URI> gws = new ArrayList<>();
            for (String gw : pstn.gateways()) {
                SipURI u = (SipURI) addresses.createURI("sip:" + pstn.prepend() + number + "@" + gw);
                gws.add(u);
            }
            return new Decision.Pstn(gws, pstn.media());
        }
        String aor = aor(requestUri);
        List<URI> contacts = new ArrayList<>();
        Map<URI, HostPort> nat = new IdentityHashMap<>();
        for (Binding b : location.lookup(aor)) {
            URI contact = addresses.createURI(b.contact());
            contacts.add(contact);
            HostPort at = Nat.registeredBehind(contact, b.received());
            if (at != null) {
                nat.put(contact, at); // fix_nated_register: reached where it registered from
            }
        }
        return new Decision.Local(aor, contacts, nat);
    }
}
