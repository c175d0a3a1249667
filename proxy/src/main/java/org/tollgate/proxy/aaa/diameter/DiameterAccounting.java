package org.tollgate.proxy.aaa.diameter;

import java.util.Date;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jdiameter.api.Avp;
import org.jdiameter.api.AvpDataException;
import org.jdiameter.api.AvpSet;
import org.tollgate.proxy.aaa.AccountingRecord;
import org.tollgate.proxy.aaa.RecordDelivery;

/**
 * The proxy's call accounting as Diameter ACRs (Kamailio's acc in Diameter mode): Start is a
 * START_RECORD, Stop a STOP_RECORD, Interim-Update an INTERIM_RECORD and a failed call an
 * EVENT_RECORD with its SIP code, each with acc's SIP AVPs (SIP-Callid 550, SIP-Method 551,
 * SIP-From-Tag 553, SIP-To-Tag 554, SIP-Code 564). The Session-Id is the proxy's identity and the
 * Call-ID (as its Credit-Control session's, RFC 6733 §9.4), and Accounting-Record-Number is fixed
 * per record kind, so a record sent again (failed over, replayed from the spool) is the same record.
 */
public final class DiameterAccounting implements RecordDelivery {

    static final int ACCOUNTING_REQUEST = 271;
    static final int ACCT_SESSION_ID = 44;
    static final int ACCT_SESSION_TIME = 46;
    static final int ACCT_DELAY_TIME = 41;
    static final int CALLING_STATION_ID = 31;
    static final int CALLED_STATION_ID = 30;
    static final int EVENT_TIMESTAMP = 55;
    static final int RECORD_TYPE = 480;
    static final int RECORD_NUMBER = 485;
    static final int TERMINATION_CAUSE = 295;
    static final int SIP_CALLID = 550;
    static final int SIP_METHOD = 551;
    static final int SIP_FROM_TAG = 553;
    static final int SIP_TO_TAG = 554;
    static final int SIP_CODE = 564;
    private static final Set<String> KINDS = Set.of("Start", "Stop", "Interim-Update", "Failed");
    /** RFC 2866 §5.10's Acct-Terminate-Cause values by name, as the proxy's records carry them. */
    private static final java.util.List<String> TERMINATE_CAUSES = java.util.List.of("User-Request", "Lost-Carrier",
            "Lost-Service", "Idle-Timeout", "Session-Timeout", "Admin-Reset", "Admin-Reboot", "Port-Error", "NAS-Error",
            "NAS-Request", "NAS-Reboot", "Port-Unneeded", "Port-Preempted", "Port-Suspended", "Service-Unavailable",
            "Callback", "User-Error", "Host-Request");

    private final DiameterClient client;
    private final String identity;

    public DiameterAccounting(DiameterClient client, String identity) {
        this.client = client;
        this.identity = identity;
    }

    @Override
    public void check(AccountingRecord record) {
        if (!KINDS.contains(record.statusType())) {
            throw new IllegalArgumentException("no Diameter accounting record for status " + record.statusType());
        }
        if (record.get("Acct-Session-Id") == null) {
            throw new IllegalArgumentException("an accounting record needs Acct-Session-Id (the Call-ID)");
        }
    }

    @Override
    public CompletableFuture<Boolean> deliver(AccountingRecord r, long delaySeconds) {
        check(r);
        String callId = r.get("Acct-Session-Id");
        int type;
        long number;
        switch (r.statusType()) {
            case "Start" -> { type = 2; number = 0; }
            case "Interim-Update" -> { type = 3; number = r.eventTime().getEpochSecond() & 0x7fffffffL; }
            case "Stop" -> { type = 4; number = 0xffffffffL; }
            default -> { type = 1; number = 0; }
        }
        return client.send(identity + ";" + callId, ACCOUNTING_REQUEST, DiameterClient.ACCOUNTING, true, avps -> {
            avps.addAvp(RECORD_TYPE, type, true, false);
            avps.addAvp(RECORD_NUMBER, number, true, false, true);
            text(avps, Avp.USER_NAME, r.get("User-Name"));
            avps.addAvp(ACCT_SESSION_ID, callId, true, false, true);
            text(avps, CALLING_STATION_ID, r.get("Calling-Station-Id"));
            text(avps, CALLED_STATION_ID, r.get("Called-Station-Id"));
            avps.addAvp(EVENT_TIMESTAMP, Date.from(r.eventTime()), true, false);
            if (delaySeconds > 0) {
                avps.addAvp(ACCT_DELAY_TIME, delaySeconds, true, false, true);
            }
            String time = r.get("Acct-Session-Time");
            if (time != null) {
                avps.addAvp(ACCT_SESSION_TIME, Long.parseLong(time), true, false, true);
            }
            int cause = terminateCause(r.get("Acct-Terminate-Cause"));
            if (cause > 0) {
                avps.addAvp(TERMINATION_CAUSE, cause + 10, true, false); // RFC 7155 §9.3.5: RADIUS N is Diameter N + 10
            }
            text(avps, SIP_CALLID, callId);
            text(avps, SIP_METHOD, r.get("Sip-Method"));
            text(avps, SIP_FROM_TAG, r.get("Sip-From-Tag"));
            text(avps, SIP_TO_TAG, r.get("Sip-To-Tag"));
            text(avps, SIP_CODE, r.get("Sip-Response-Code"));
        }).thenApply(answer -> {
            try {
                Avp rc = answer.getAvps().getAvp(Avp.RESULT_CODE);
                return rc != null && rc.getUnsigned32() == 2001;
            } catch (AvpDataException e) {
                return false;
            }
        });
    }

    static int terminateCause(String cause) {
        if (cause == null) {
            return 0;
        }
        if (cause.matches("\\d+")) {
            return Integer.parseInt(cause);
        }
        return TERMINATE_CAUSES.indexOf(cause) + 1;
    }

    private static void text(AvpSet avps, int code, String value) {
        if (value != null && !value.isEmpty()) {
            avps.addAvp(code, value, true, false, false);
        }
    }

    @Override
    public void close() {
        // the client is closed by its owner
    }
}
