package org.tollgate.app.api.cli;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tollgate.app.api.access.Caller;
import org.tollgate.app.api.access.Role;

/**
 * Which roles besides admin may run a command sent to {@code /api/cli}: the operator provisions,
 * reads accounting, handles calls and runs the batch; finance reads CDRs, reports and balances and
 * tops up. Anything not listed (tokens, plans, rates, making accounts or vouchers) is the admin's.
 * {@code run} and {@code demo} start servers and are never run inside one.
 */
final class CommandRoles {

    static final Set<String> LOCAL_ONLY = Set.of("run", "demo");

    private static final Map<String, Role> BY_COMMAND = Map.ofEntries(
            Map.entry("nas", Role.OPERATOR),
            Map.entry("diameter-peer", Role.OPERATOR),
            Map.entry("user", Role.OPERATOR),
            Map.entry("import", Role.OPERATOR),
            Map.entry("acct", Role.OPERATOR),
            Map.entry("dialogs", Role.OPERATOR),
            Map.entry("limits", Role.OPERATOR),
            Map.entry("bans", Role.OPERATOR),
            Map.entry("batch", Role.OPERATOR),
            Map.entry("cdr", Role.FINANCE),
            Map.entry("report", Role.FINANCE),
            Map.entry("prepaid", Role.FINANCE),
            Map.entry("account list", Role.FINANCE),
            Map.entry("account balance", Role.FINANCE),
            Map.entry("account topup", Role.FINANCE),
            Map.entry("account ledger", Role.FINANCE),
            Map.entry("voucher list", Role.FINANCE),
            Map.entry("voucher redeem", Role.FINANCE));

    private CommandRoles() {
    }

    /** {@code path}: the command's names, e.g. [account, topup]. */
    static boolean permits(Caller caller, List<String> path) {
        if (caller.scoped()) {
            return false; // a reseller uses the account endpoints, which check each account
        }
        if (caller.role() == Role.ADMIN || path.isEmpty()) {
            return true; // no command: usage or version
        }
        Role needed = path.size() > 1 ? BY_COMMAND.get(path.get(0) + " " + path.get(1)) : null;
        if (needed == null) {
            needed = BY_COMMAND.get(path.get(0));
        }
        return needed == caller.role();
    }
}
