package org.tollgate.proxy.aaa.diameter;

import org.tollgate.proxy.aaa.AccountingRecord;
import org.tollgate.proxy.aaa.CallAccounting;

/**
 * The end of a call under Diameter Credit-Control: its Stop (or Failed) record also sends the
 * CCR-TERMINATE with the time used, so the server debits it at once (RADIUS prepaid debits on the
 * Stop itself); then the record goes on to the accounting.
 */
public final class CreditControlEnding implements CallAccounting {

    private final CallAccounting accounting;
    private final CreditControlAuthority creditControl;

    public CreditControlEnding(CallAccounting accounting, CreditControlAuthority creditControl) {
        this.accounting = accounting;
        this.creditControl = creditControl;
    }

    @Override
    public void send(AccountingRecord record) {
        String status = record.statusType();
        String callId = record.get("Acct-Session-Id");
        if (callId != null && (status.equals("Stop") || status.equals("Failed"))) {
            String time = record.get("Acct-Session-Time");
            creditControl.end(callId, time == null || !time.matches("\\d+") ? 0 : Long.parseLong(time));
        }
        accounting.send(record);
    }

    @Override
    public void close() {
        accounting.close();
    }
}
