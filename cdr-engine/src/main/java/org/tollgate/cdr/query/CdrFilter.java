package org.tollgate.cdr.query;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;

import org.tollgate.cdr.pairing.Disposition;

/**
 * What to list from {@code cdr}; every null (or empty) criterion matches everything.
 *
 * @param fromDate     first call date, inclusive (the CDR's day in {@code tollgate.cdr.zone})
 * @param toDate       last call date, inclusive
 * @param endFrom      ended at or after
 * @param endBefore    ended before
 * @param caller       part of the caller, case-insensitive
 * @param callee       part of the callee, case-insensitive
 * @param dispositions any of these
 * @param repair       how the end was found
 * @param billingParty exactly this billing party
 * @param callId       exactly this Call-ID
 * @param limit        at most this many rows
 */
public record CdrFilter(LocalDate fromDate, LocalDate toDate, Instant endFrom, Instant endBefore, String caller,
                        String callee, Set<Disposition> dispositions, RepairFilter repair, String billingParty,
                        String callId, int limit) {

    public CdrFilter {
        dispositions = dispositions == null || dispositions.isEmpty() ? Set.of() : Set.copyOf(dispositions);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        if (fromDate != null && toDate != null && fromDate.isAfter(toDate)) {
            throw new IllegalArgumentException("from date " + fromDate + " is after to date " + toDate);
        }
        if (endFrom != null && endBefore != null && endFrom.isAfter(endBefore)) {
            throw new IllegalArgumentException("end range starts at " + endFrom + ", after its end " + endBefore);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Most criteria are optional, so a builder reads better than a constructor of eleven. */
    public static final class Builder {
        private LocalDate fromDate;
        private LocalDate toDate;
        private Instant endFrom;
        private Instant endBefore;
        private String caller;
        private String callee;
        private Set<Disposition> dispositions = Set.of();
        private RepairFilter repair;
        private String billingParty;
        private String callId;
        private int limit = 100;

        private Builder() {
        }

        public Builder fromDate(LocalDate d) {
            fromDate = d;
            return this;
        }

        public Builder toDate(LocalDate d) {
            toDate = d;
            return this;
        }

        public Builder endFrom(Instant t) {
            endFrom = t;
            return this;
        }

        public Builder endBefore(Instant t) {
            endBefore = t;
            return this;
        }

        public Builder caller(String s) {
            caller = s;
            return this;
        }

        public Builder callee(String s) {
            callee = s;
            return this;
        }

        public Builder dispositions(Set<Disposition> d) {
            dispositions = d;
            return this;
        }

        public Builder repair(RepairFilter r) {
            repair = r;
            return this;
        }

        public Builder billingParty(String s) {
            billingParty = s;
            return this;
        }

        public Builder callId(String s) {
            callId = s;
            return this;
        }

        public Builder limit(int n) {
            limit = n;
            return this;
        }

        public CdrFilter build() {
            return new CdrFilter(fromDate, toDate, endFrom, endBefore, caller, callee, dispositions, repair,
                    billingParty, callId, limit);
        }
    }
}
