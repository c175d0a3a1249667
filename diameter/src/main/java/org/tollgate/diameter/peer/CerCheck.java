package org.tollgate.diameter.peer;

import java.net.InetAddress;

/** Decides a CER from a peer jDiameter does not know yet: null to go on, or the Result-Code to refuse with. */
@FunctionalInterface
public interface CerCheck {

    Integer refuse(String originHost, String originRealm, InetAddress from);
}
