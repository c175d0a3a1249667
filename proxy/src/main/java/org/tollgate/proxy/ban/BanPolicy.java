package org.tollgate.proxy.ban;

import java.time.Duration;

/**
 * When the proxy bans, as Kamailio's pike and htable ipban or fail2ban would.
 *
 * @param floodRequests  more messages than this from one address within {@code floodWindow} ban it
 * @param floodWindow    the flood sampling window
 * @param banTime        how long a source stays banned
 * @param authFailures   this many failed digest answers from one address within {@code authWindow} ban it
 * @param authWindow     the window for counting authentication failures (of addresses and of users)
 * @param userFailures   this many failed digest answers for one user within {@code authWindow} lock the user
 * @param userLockTime   how long a locked user's authentication is refused
 */
public record BanPolicy(int floodRequests, Duration floodWindow, Duration banTime, int authFailures,
                        Duration authWindow, int userFailures, Duration userLockTime) {

    public BanPolicy {
        if (floodRequests < 1 || authFailures < 1 || userFailures < 1) {
            throw new IllegalArgumentException(
                    "tollgate.proxy.ban.flood-requests, auth-failures and user-failures must be at least 1");
        }
        for (Duration d : new Duration[] {floodWindow, banTime, authWindow, userLockTime}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(
                        "tollgate.proxy.ban.flood-window, time, auth-window and user-lock-time must be positive");
            }
        }
        if (floodWindow.toMillis() < 100) {
            throw new IllegalArgumentException("tollgate.proxy.ban.flood-window below 100 ms: " + floodWindow);
        }
    }
}
