package org.tollgate.app.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.tollgate.app.api.access.Caller;
import org.tollgate.app.api.access.Role;

class CommandRolesTest {

    private static final Caller OPERATOR = new Caller("o", Role.OPERATOR, Set.of());
    private static final Caller FINANCE = new Caller("f", Role.FINANCE, Set.of());

    @Test
    void operatorsProvisionAndRunTheBatchFinanceHandlesMoneyTheAdminTheRest() {
        assertThat(CommandRoles.permits(OPERATOR, List.of("nas", "add"))).isTrue();
        assertThat(CommandRoles.permits(OPERATOR, List.of("batch", "run"))).isTrue();
        assertThat(CommandRoles.permits(OPERATOR, List.of("account", "balance"))).isFalse();
        assertThat(CommandRoles.permits(OPERATOR, List.of("cdr", "list"))).isFalse();
        assertThat(CommandRoles.permits(FINANCE, List.of("account", "topup"))).isTrue();
        assertThat(CommandRoles.permits(FINANCE, List.of("account", "adjust"))).isFalse();
        assertThat(CommandRoles.permits(FINANCE, List.of("voucher", "create"))).isFalse();
        assertThat(CommandRoles.permits(FINANCE, List.of("report"))).isTrue();
        assertThat(CommandRoles.permits(FINANCE, List.of("nas", "list"))).isFalse();
        for (Caller c : List.of(OPERATOR, FINANCE)) {
            assertThat(CommandRoles.permits(c, List.of("token", "create"))).isFalse();
            assertThat(CommandRoles.permits(c, List.of("rates", "import"))).isFalse();
            assertThat(CommandRoles.permits(c, List.of())).as("usage").isTrue();
        }
        assertThat(CommandRoles.permits(Caller.admin("a"), List.of("token", "create"))).isTrue();
        assertThat(CommandRoles.permits(new Caller("r", Role.FINANCE, Set.of("acme")), List.of("account", "balance")))
                .as("a reseller uses the account endpoints").isFalse();
    }
}
