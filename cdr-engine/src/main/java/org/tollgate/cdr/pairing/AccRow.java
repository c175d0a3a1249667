package org.tollgate.cdr.pairing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.tollgate.api.AccountingStatus;

/**
 * One acc_event row as the pairing needs it. {@code legSrc}/{@code legDst} are the multi-leg
 * values in order (empty when the record has none).
 */
public record AccRow(UUID recordKey, Instant eventTime, String nasName, String nasAddress, AccountingStatus status,
                     String callId, String userName, String caller, String callee, String sipMethod, Integer sipCode,
                     String fromTag, String toTag, String translatedUri, String srcIp, Integer terminateCause,
                     Long sessionInterval, Instant setupTime, String sipReason, List<String> legSrc, List<String> legDst) {

    public AccRow {
        legSrc = legSrc == null ? List.of() : List.copyOf(legSrc);
        legDst = legDst == null ? List.of() : List.copyOf(legDst);
    }

    boolean hasTags() {
        return notEmpty(fromTag) || notEmpty(toTag);
    }

    boolean is(AccountingStatus s) {
        return s == status;
    }

    /** A CANCEL reported as a Stop (the acc module's report_cancels). */
    boolean isCancelReport() {
        return status == AccountingStatus.STOP && sipMethod != null && sipMethod.equalsIgnoreCase("CANCEL");
    }

    /** The unordered pair of tags: the same whichever side the record was written from. */
    String legKey() {
        String a = fromTag == null ? "" : fromTag;
        String b = toTag == null ? "" : toTag;
        return a.compareTo(b) <= 0 ? a + '\u0000' + b : b + '\u0000' + a;
    }

    static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}
