package org.tollgate.app.demo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import javax.sip.header.AuthorizationHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/** A phone's answer to a digest challenge (RFC 3261 §22, MD5, qop=auth when offered): 401 → Authorization, 407 → Proxy-Authorization. */
final class DigestAnswer {

    private DigestAnswer() {
    }

    static AuthorizationHeader to(Response challenge, Request req, String user, String password, HeaderFactory headers)
            throws ParseException {
        boolean proxy = challenge.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED;
        WWWAuthenticateHeader c = (WWWAuthenticateHeader) challenge.getHeader(
                proxy ? ProxyAuthenticateHeader.NAME : WWWAuthenticateHeader.NAME);
        if (c == null) {
            throw new ParseException(challenge.getStatusCode() + " without a challenge", 0);
        }
        String uri = req.getRequestURI().toString();
        String ha1 = md5(user + ":" + c.getRealm() + ":" + password);
        String ha2 = md5(req.getMethod() + ":" + uri);
        AuthorizationHeader a = proxy ? headers.createProxyAuthorizationHeader("Digest")
                : headers.createAuthorizationHeader("Digest");
        a.setUsername(user);
        a.setRealm(c.getRealm());
        a.setNonce(c.getNonce());
        a.setURI(req.getRequestURI());
        a.setAlgorithm("MD5");
        String qop = c.getQop();
        if (qop != null && qop.toLowerCase().contains("auth")) {
            String cnonce = Long.toHexString(ThreadLocalRandom.current().nextLong());
            String nc = "00000001";
            a.setQop("auth");
            a.setCNonce(cnonce);
            // set as text: the nonce count goes into the hash exactly as written
            a.setParameter("nc", nc);
            a.setResponse(md5(ha1 + ":" + c.getNonce() + ":" + nc + ":" + cnonce + ":auth:" + ha2));
        } else {
            a.setResponse(md5(ha1 + ":" + c.getNonce() + ":" + ha2));
        }
        if (c.getOpaque() != null) {
            a.setOpaque(c.getOpaque());
        }
        return a;
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
