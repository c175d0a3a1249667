package org.tollgate.proxy.relay;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;

import javax.sip.address.AddressFactory;
import javax.sip.address.URI;

import org.tollgate.proxy.dialog.Dialog;
import org.tollgate.proxy.location.LocationService;
import org.tollgate.proxy.routing.Router;
import org.tollgate.proxy.sip.HostPort;
import org.tollgate.proxy.sip.Source;

/**
 * Where an in-dialog request from an untrusted source may go, once it proved to belong to a
 * dialog the proxy authorized (its token, or a call the proxy tracks). The dialog alone proves
 * little: anyone gets a token by calling or subscribing to a local phone, and the token names
 * neither party. So, as for any request (issue 13): it goes to a local domain or a local user
 * (a registered contact), or it comes from a local user (from where one of our users is
 * registered), or it stays within a tracked call: from its caller to the contact the callee
 * answered from (reached through our routing) or a proxy the callee's side record-routed, or from
 * its callee to the caller's contact or the caller's side's proxies when the caller was a local
 * user who authenticated. Not when the caller is anyone: the caller wrote its contact and its
 * side's Record-Route itself, and the callee's tag is no secret to it.
 */
public final class InDialogRelay {

    private final Router router;
    private final LocationService location;
    private final AddressFactory addresses;
    private final HostPort self;

    /** {@code self}: this proxy's address, as in its Record-Route. */
    public InDialogRelay(Router router, LocationService location, AddressFactory addresses, HostPort self) {
        this.router = router;
        this.location = location;
        this.addresses = addresses;
        this.self = self;
    }

    /**
     * True when the request may be forwarded to {@code target} (its next hop: the first Route left
     * after the proxy's own, or the Request-URI); {@code call} the tracked call it belongs to, or null.
     */
    public boolean allows(URI target, Source source, Dialog call, String fromTag) {
        if (router.isOurs(target)) {
            return true;
        }
        HostPort to = HostPort.of(target);
        if (to == null) {
            return false;
        }
        if (location.registeredAt(to) || location.registeredAt(HostPort.of(source.ip(), source.port(), false))) {
            return true;
        }
        if (call == null) {
            return false;
        }
        if (call.fromCaller(fromTag)) {
            return to.equals(HostPort.parse(call.calleeContact())) || hops(call, true).contains(to);
        }
        return placedByLocalUser(call)
                && (to.equals(HostPort.parse(call.callerContact())) || hops(call, false).contains(to));
    }

    /** The proxies the call's 2xx recorded on the callee's side of this one (before its own entries) or the caller's (after). */
    private List<HostPort> hops(Dialog call, boolean calleeSide) {
        List<HostPort> route = new ArrayList<>();
        for (String entry : call.routeSet()) {
            route.add(HostPort.parse(entry));
        }
        int first = route.indexOf(self);
        if (first < 0) {
            return List.of();
        }
        return calleeSide ? route.subList(0, first) : route.subList(route.lastIndexOf(self) + 1, route.size());
    }

    /** An untrusted caller from one of our domains had to authenticate as From before the call went anywhere. */
    private boolean placedByLocalUser(Dialog call) {
        try {
            return router.isOurs(addresses.createURI(call.leg().fromUri()));
        } catch (ParseException | RuntimeException e) {
            return false;
        }
    }
}
