package org.tollgate.cdr.pairing;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A call detail record: one per leg of a call. {@code repair} is null when a real Stop ended the
 * call; {@code sourceKeys} are the acc_event rows it came from, sorted.
 */
public record Cdr(UUID cdrKey, String callId, int legIndex, String fromTag, String toTag, LocalDate callDate,
                  Instant setupTime, Instant answerTime, Instant endTime, long durationSeconds, long billableSeconds,
                  Disposition disposition, Integer sipCode, String sipReason, String caller, String callee,
                  String translatedUri, String billingParty, String userName, String sourceIp, String nasName,
                  String nasAddress, Integer terminateCause, Repair repair, List<UUID> sourceKeys) {

    public Cdr {
        sourceKeys = List.copyOf(sourceKeys);
    }

    public boolean answered() {
        return disposition == Disposition.ANSWERED;
    }
}
