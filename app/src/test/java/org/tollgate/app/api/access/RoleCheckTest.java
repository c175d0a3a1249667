package org.tollgate.app.api.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

class RoleCheckTest {

    private static final Caller ADMIN = Caller.admin("a");
    private static final Caller OPERATOR = new Caller("o", Role.OPERATOR, Set.of());
    private static final Caller FINANCE = new Caller("f", Role.FINANCE, Set.of());
    private static final Caller RESELLER = new Caller("r", Role.FINANCE, Set.of("acme"));

    @Allowed(Role.OPERATOR)
    static class Ops { }

    @Allowed(value = Role.FINANCE, accountScoped = true)
    static class Balances { }

    @Allowed(Role.FINANCE)
    static class Reports { }

    @Test
    void theAdminEverywhereOthersWhereNamedResellersOnlyOnAccountScopedEndpoints() {
        Allowed ops = Ops.class.getAnnotation(Allowed.class);
        Allowed balances = Balances.class.getAnnotation(Allowed.class);
        Allowed reports = Reports.class.getAnnotation(Allowed.class);
        assertThat(RoleCheck.permits(ADMIN, null)).isTrue();
        assertThat(RoleCheck.permits(OPERATOR, null)).as("unannotated: the admin's").isFalse();
        assertThat(RoleCheck.permits(OPERATOR, ops)).isTrue();
        assertThat(RoleCheck.permits(FINANCE, ops)).isFalse();
        assertThat(RoleCheck.permits(FINANCE, balances)).isTrue();
        assertThat(RoleCheck.permits(RESELLER, balances)).isTrue();
        assertThat(RoleCheck.permits(RESELLER, reports)).isFalse();
        assertThat(RoleCheck.permits(RESELLER, null)).isFalse();
        assertThat(RESELLER.mayUse("acme")).isTrue();
        assertThat(RESELLER.mayUse("globex")).isFalse();
        assertThat(FINANCE.mayUse("globex")).isTrue();
    }
}
