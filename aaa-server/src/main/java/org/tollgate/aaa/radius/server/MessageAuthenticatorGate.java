package org.tollgate.aaa.radius.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.aaa.radius.client.MessageAuthenticatorPolicy;
import org.tollgate.aaa.radius.client.NasClient;

/**
 * Decides whether an Access-Request without Message-Authenticator is dropped: always for a client
 * set to {@code yes}, never for {@code no}, and for {@code auto} once that client has sent one that
 * verified (remembered while the server runs, as FreeRADIUS does). A drop is counted and, once a
 * minute per client, logged with what to change — a silent drop leaves a NAS waiting for nothing.
 */
final class MessageAuthenticatorGate {

    private static final Logger log = LoggerFactory.getLogger(MessageAuthenticatorGate.class);
    private static final Duration LOG_EVERY = Duration.ofMinutes(1);

    private final Set<String> sentOne = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Instant> lastLogged = new ConcurrentHashMap<>();
    private final Clock clock;

    MessageAuthenticatorGate(Clock clock) {
        this.clock = clock;
    }

    /** True when a request from {@code nas} without a Message-Authenticator must be dropped (and says so). */
    boolean dropsMissing(NasClient nas) {
        boolean required = switch (nas.messageAuthenticator()) {
            case YES -> true;
            case NO -> false;
            case AUTO -> sentOne.contains(nas.name());
        };
        if (required) {
            Instant now = clock.instant();
            Instant last = lastLogged.get(nas.name());
            boolean mine = last == null ? lastLogged.putIfAbsent(nas.name(), now) == null
                    : !now.isBefore(last.plus(LOG_EVERY)) && lastLogged.replace(nas.name(), last, now);
            if (mine) {
                log.warn("Access-Request from NAS {} ({}) dropped: no Message-Authenticator, which it must send ({}). "
                        + "Configure the NAS to send one, or, for a NAS that cannot (Kamailio's auth_radius through "
                        + "radcli), add it with --message-authenticator no", nas.name(), nas.address(),
                        nas.messageAuthenticator() == MessageAuthenticatorPolicy.AUTO
                                ? "auto: it has sent one before" : "message-authenticator yes");
            }
        }
        return required;
    }

    /** A request from {@code nas} carried a Message-Authenticator that verified. */
    void verified(NasClient nas) {
        if (nas.messageAuthenticator() == MessageAuthenticatorPolicy.AUTO && sentOne.add(nas.name())) {
            log.info("NAS {} sends Message-Authenticator: required from it from now on (auto)", nas.name());
        }
    }
}
