package org.tollgate.api;

/** Acct-Status-Type values Tollgate understands (RFC 2866, plus the acc module's Failed). */
public enum AccountingStatus {
    START(1), STOP(2), INTERIM_UPDATE(3), ACCOUNTING_ON(7), ACCOUNTING_OFF(8), FAILED(15), OTHER(-1);

    private final int code;

    AccountingStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The status stored under this name (acc_event.status), OTHER for a name Tollgate does not know. */
    public static AccountingStatus named(String name) {
        for (AccountingStatus s : values()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return OTHER;
    }

    public static AccountingStatus of(int code) {
        for (AccountingStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return OTHER;
    }
}
