package org.tollgate.cdr.query;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import org.tollgate.cdr.pairing.Disposition;
import org.tollgate.cdr.pairing.Repair;

/** A stored CDR as operators list it; {@code repair} is null when a real Stop ended the call. */
public record CdrRow(UUID cdrKey, String callId, int legIndex, LocalDate callDate, Instant setupTime,
                     Instant answerTime, Instant endTime, long durationSeconds, long billableSeconds,
                     Disposition disposition, Integer sipCode, String sipReason, String caller, String callee,
                     String translatedUri, String billingParty, String userName, String sourceIp, String nasName,
                     String nasAddress, Integer terminateCause, Repair repair, int version) {
}
