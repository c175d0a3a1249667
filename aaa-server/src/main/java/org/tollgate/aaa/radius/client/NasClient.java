package org.tollgate.aaa.radius.client;

import org.tollgate.api.net.Cidr;
import java.util.Objects;

import org.tollgate.aaa.radius.dictionary.DictionaryProfile;

/**
 * A NAS allowed to talk to the server, as a FreeRADIUS {@code client} block describes it.
 * {@code prepaidAuthorize}: it may ask for a prepaid authorization without credentials (it
 * authenticated the caller itself); other clients must send PAP, CHAP or Digest with it.
 * {@code messageAuthenticator}: whether its Access-Requests must carry a Message-Authenticator.
 */
public record NasClient(
        String name,
        Cidr address,
        String secret,
        String type,
        DictionaryProfile profile,
        MessageAuthenticatorPolicy messageAuthenticator,
        boolean prepaidAuthorize) {

    public NasClient {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(messageAuthenticator, "messageAuthenticator");
        if (name.isBlank()) {
            throw new IllegalArgumentException("NAS name must not be empty");
        }
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("NAS " + name + ": secret must not be empty");
        }
        type = type == null || type.isBlank() ? "other" : type;
    }

    /** {@code requireMessageAuthenticator}: {@code yes} or {@code no}, not {@code auto}. */
    public NasClient(String name, Cidr address, String secret, String type, DictionaryProfile profile,
                     boolean requireMessageAuthenticator, boolean prepaidAuthorize) {
        this(name, address, secret, type, profile,
                requireMessageAuthenticator ? MessageAuthenticatorPolicy.YES : MessageAuthenticatorPolicy.NO,
                prepaidAuthorize);
    }

    /** A client that authenticates every prepaid call (no authorization without credentials). */
    public NasClient(String name, Cidr address, String secret, String type, DictionaryProfile profile,
                     boolean requireMessageAuthenticator) {
        this(name, address, secret, type, profile, requireMessageAuthenticator, false);
    }

    /** A Cisco voice gateway (FreeRADIUS nas_type cisco): answered with the h323-* VSAs too. */
    public boolean cisco() {
        return "cisco".equalsIgnoreCase(type);
    }

    public byte[] secretBytes() {
        return secret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "NasClient[" + name + " " + address + " type=" + type + " profile=" + profile.id()
                + " messageAuthenticator=" + messageAuthenticator.id() + " prepaidAuthorize=" + prepaidAuthorize + "]";
    }
}
