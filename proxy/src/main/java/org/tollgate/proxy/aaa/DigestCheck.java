package org.tollgate.proxy.aaa;

/**
 * The parts of a SIP Authorization/Proxy-Authorization header that Kamailio's auth_radius
 * sends to the RADIUS server as draft-sterman Digest attributes. {@code userName} and
 * {@code realm} are as the UA sent them; qop, cnonce, nonceCount and algorithm may be null.
 * {@code uriUser} is the user part of the From (INVITE) or To (REGISTER) URI (Sip-Uri-User).
 */
public record DigestCheck(String userName, String realm, String nonce, String uri, String method,
                          String response, String qop, String cnonce, String nonceCount,
                          String algorithm, String uriUser) {
}
