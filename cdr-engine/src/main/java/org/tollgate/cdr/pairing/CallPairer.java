package org.tollgate.cdr.pairing;

import static org.tollgate.api.AccountingStatus.ACCOUNTING_OFF;
import static org.tollgate.api.AccountingStatus.ACCOUNTING_ON;
import static org.tollgate.api.AccountingStatus.FAILED;
import static org.tollgate.api.AccountingStatus.INTERIM_UPDATE;
import static org.tollgate.api.AccountingStatus.START;
import static org.tollgate.api.AccountingStatus.STOP;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

import org.tollgate.cdr.CdrSettings;

/**
 * Pairs every accounting row of one Call-ID into CDRs, review items or a later revisit. A pure
 * function of the rows and the as-of time, so pairing a call again gives the same result.
 *
 * <p>A dialog is the Call-ID with the unordered pair of From/To tags, so a Stop written from the
 * callee's side pairs like one written from the caller's. Within a dialog, rows are walked in
 * event-time order: a 2xx Start opens a call, a Stop closes it; a second Start while one is open,
 * and a second Stop, are duplicates kept as sources. Failed rows of the same INVITE (Call-ID and
 * From tag) near an answer are its forked branches; the others make one not-connected CDR per
 * attempt.
 */
public final class CallPairer {

    private static final Comparator<AccRow> ORDER =
            Comparator.comparing(AccRow::eventTime).thenComparing(AccRow::recordKey);

    private final CdrSettings settings;
    private final NasReboots reboots;

    public CallPairer(CdrSettings settings, NasReboots reboots) {
        this.settings = settings;
        this.reboots = reboots;
    }

    public PairingResult pair(CallEvents call, Instant asOf) {
        Outcome out = new Outcome(call.callId());
        List<AccRow> rows = new ArrayList<>(call.rows());
        rows.sort(ORDER);

        Map<String, List<AccRow>> dialogs = new LinkedHashMap<>();
        List<AccRow> failures = new ArrayList<>();
        List<AccRow> media = new ArrayList<>();
        for (AccRow r : rows) {
            if (r.is(ACCOUNTING_ON) || r.is(ACCOUNTING_OFF)) {
                out.review(r, ReviewItem.Reason.NAS_STATE, "Accounting-On/Off: evidence for repairs, not a call");
            } else if (!(r.is(START) || r.is(STOP) || r.is(INTERIM_UPDATE) || r.is(FAILED))) {
                out.review(r, ReviewItem.Reason.UNPARSEABLE, "Acct-Status-Type " + r.status() + " is not a call record");
            } else if (!r.hasTags()) {
                media.add(r); // a media relay's (or another non-SIP NAS's) record for this Call-ID
            } else if (r.is(FAILED) || r.isCancelReport()) {
                failures.add(r);
            } else {
                dialogs.computeIfAbsent(r.legKey(), k -> new ArrayList<>()).add(r);
            }
        }

        List<Answered> answered = new ArrayList<>();
        for (List<AccRow> dialog : dialogs.values()) {
            walk(dialog, answered, out, asOf);
        }
        attachBranches(failures, answered);
        notConnected(failures, out);

        List<AccRow> unusedMedia = new ArrayList<>(media);
        List<Answered> ended = new ArrayList<>();
        for (Answered a : answered) {
            if (settle(a, call, media, unusedMedia, out, asOf)) {
                ended.add(a);
            }
        }
        // media records no repair needed belong to the call's first answer
        Answered first = ended.stream().min(Comparator.comparing(a -> a.start.eventTime())).orElse(null);
        for (AccRow m : unusedMedia) {
            if (first != null) {
                first.sources.add(m.recordKey());
            } else if (out.revisitAt == null) { // else decided with the call it waits for
                out.review(m, ReviewItem.Reason.NOT_A_CALL, "record without SIP tags and no call to attach it to");
            }
        }
        for (Answered a : ended) {
            emit(a, out);
        }
        return out.result();
    }

    /** One dialog's rows in time order: answered calls, duplicates, orphans. */
    private void walk(List<AccRow> dialog, List<Answered> answered, Outcome out, Instant asOf) {
        Answered current = null;
        List<AccRow> early = new ArrayList<>();
        List<AccRow> orphans = new ArrayList<>();
        List<Answered> mine = new ArrayList<>();
        for (AccRow r : dialog) {
            if (r.is(START)) {
                boolean answer = r.sipCode() == null || r.sipCode() >= 200;
                if (!answer) {
                    early.add(r); // early media (18x with a body): not an answer
                } else if (current != null && current.stop == null) {
                    current.sources.add(r.recordKey()); // duplicate Start
                } else {
                    current = new Answered(r);
                    current.addAll(early);
                    early.clear();
                    mine.add(current);
                }
            } else if (r.is(INTERIM_UPDATE)) {
                if (current != null && current.stop == null) {
                    current.interims.add(r);
                    current.sources.add(r.recordKey());
                } else {
                    orphans.add(r);
                }
            } else { // STOP
                if (current != null && current.stop == null) {
                    current.stop = r;
                    current.sources.add(r.recordKey());
                } else if (current != null) {
                    current.sources.add(r.recordKey()); // duplicate Stop
                } else {
                    orphans.add(r);
                }
            }
        }
        // a Stop written before its Start (clocks apart): pair it with a call still open
        for (var it = orphans.iterator(); it.hasNext(); ) {
            AccRow o = it.next();
            Answered open = o.is(STOP) ? mine.stream().filter(a -> a.stop == null).findFirst().orElse(null) : null;
            if (open != null) {
                open.stop = o;
                open.sources.add(o.recordKey());
                it.remove();
            } else if (!mine.isEmpty() && o.is(INTERIM_UPDATE)) {
                mine.get(0).interims.add(o);
                mine.get(0).sources.add(o.recordKey());
                it.remove();
            }
        }
        if (!early.isEmpty() && !mine.isEmpty()) {
            mine.get(mine.size() - 1).addAll(early);
            early.clear();
        }
        orphans.addAll(early); // early media that never became an answer waits like an orphan
        for (AccRow o : orphans) {
            Instant due = o.eventTime().plus(settings.grace());
            if (asOf.isBefore(due)) {
                out.waitFor(due, o.is(STOP) ? "stop-without-start" : "interim-without-start");
            } else if (o.is(STOP)) {
                out.review(o, ReviewItem.Reason.STOP_WITHOUT_START, "no Start for this dialog within " + settings.grace());
            } else if (o.is(INTERIM_UPDATE)) {
                out.review(o, ReviewItem.Reason.INTERIM_WITHOUT_START, "no Start for this dialog within " + settings.grace());
            } else {
                out.review(o, ReviewItem.Reason.STOP_WITHOUT_START, "early-media Start never answered or failed");
            }
        }
        answered.addAll(mine);
    }

    /** Failed branches of an INVITE that was answered elsewhere belong to that answer. */
    private void attachBranches(List<AccRow> failures, List<Answered> answered) {
        for (var it = failures.iterator(); it.hasNext(); ) {
            AccRow f = it.next();
            Answered best = null;
            long bestGap = Long.MAX_VALUE;
            for (Answered a : answered) {
                if (f.fromTag() == null || !f.fromTag().equals(a.start.fromTag()) && !f.fromTag().equals(a.start.toTag())) {
                    continue;
                }
                long gap = Math.abs(Duration.between(a.start.eventTime(), f.eventTime()).toMillis());
                boolean inCall = a.stop != null && !f.eventTime().isAfter(a.stop.eventTime());
                if ((gap <= settings.forkWindow().toMillis() || inCall) && gap < bestGap) {
                    best = a;
                    bestGap = gap;
                }
            }
            if (best != null) {
                best.sources.add(f.recordKey());
                it.remove();
            }
        }
    }

    /** The failures left: one CDR per attempt (From tag, rows no further apart than the fork window). */
    private void notConnected(List<AccRow> failures, Outcome out) {
        Map<String, List<AccRow>> byFromTag = new LinkedHashMap<>();
        for (AccRow f : failures) {
            byFromTag.computeIfAbsent(f.fromTag() == null ? "" : f.fromTag(), k -> new ArrayList<>()).add(f);
        }
        for (List<AccRow> rows : byFromTag.values()) {
            List<AccRow> attempt = new ArrayList<>();
            for (AccRow f : rows) {
                if (!attempt.isEmpty() && Duration.between(attempt.get(attempt.size() - 1).eventTime(), f.eventTime())
                        .compareTo(settings.forkWindow()) > 0) {
                    out.cdrs.add(failedCdr(attempt));
                    attempt = new ArrayList<>();
                }
                attempt.add(f);
            }
            out.cdrs.add(failedCdr(attempt));
        }
    }

    private Cdr failedCdr(List<AccRow> attempt) {
        // the final answer the caller got is the last one accounted; a CANCEL report alone means 487
        AccRow fin = attempt.stream().filter(r -> r.is(FAILED)).reduce((a, b) -> b).orElse(attempt.get(attempt.size() - 1));
        Integer code = fin.is(FAILED) ? fin.sipCode() : Integer.valueOf(487);
        Instant setup = attempt.stream().map(AccRow::setupTime).filter(t -> t != null).min(Instant::compareTo).orElse(null);
        Instant end = fin.eventTime();
        long duration = setup == null ? 0 : seconds(setup, end);
        List<UUID> keys = attempt.stream().map(AccRow::recordKey).sorted().toList();
        return new Cdr(key(fin.recordKey(), 0), fin.callId(), 0, fin.fromTag(), fin.toTag(),
                end.atZone(settings.zone()).toLocalDate(), setup, null, end, duration, 0,
                Disposition.ofFailure(code), code, fin.sipReason() != null ? fin.sipReason() : SipReasons.of(code),
                fin.caller(), fin.callee(), fin.translatedUri(), billingParty(fin), fin.userName(), fin.srcIp(),
                fin.nasName(), fin.nasAddress(), fin.terminateCause(), null, keys);
    }

    /**
     * When an answered call ended: at its Stop, or once the grace period is over by the best
     * evidence (the repair). False while it still waits for its Stop.
     */
    private boolean settle(Answered a, CallEvents call, List<AccRow> media, List<AccRow> unusedMedia, Outcome out,
                           Instant asOf) {
        AccRow start = a.start;
        Instant answer = start.eventTime();
        Instant end;
        Repair repair = null;
        if (a.stop != null) {
            end = max(answer, a.stop.eventTime());
        } else {
            Instant lastSign = a.interims.isEmpty() ? answer : max(answer, a.interims.get(a.interims.size() - 1).eventTime());
            Instant due = lastSign.plus(settings.grace());
            if (asOf.isBefore(due)) {
                out.waitFor(due, "start-without-stop");
                return false;
            }
            Instant mediaEnd = null;
            for (AccRow m : media) {
                boolean timeout = m.is(STOP) && m.terminateCause() != null
                        && (m.terminateCause() == 3 || m.terminateCause() == 4);
                if (timeout && !m.eventTime().isBefore(answer)) {
                    mediaEnd = mediaEnd == null ? m.eventTime() : max(mediaEnd, m.eventTime());
                    a.sources.add(m.recordKey());
                    unusedMedia.remove(m);
                }
            }
            for (Instant t : call.mediaEvents()) {
                if (!t.isBefore(answer)) {
                    mediaEnd = mediaEnd == null ? t : max(mediaEnd, t);
                }
            }
            Long interval = sessionInterval(a);
            Optional<Instant> reboot = reboots.first(start.nasAddress(), lastSign, asOf);
            if (mediaEnd != null) {
                end = mediaEnd;
                repair = Repair.MEDIA_TIMEOUT;
            } else if (interval != null && interval > 0) {
                end = lastSign.plusSeconds(interval);
                repair = Repair.SESSION_TIMER;
            } else if (reboot.isPresent()) {
                end = reboot.get();
                repair = Repair.NAS_REBOOT;
            } else {
                end = max(answer.plus(settings.maxDuration()), lastSign);
                repair = Repair.UNTERMINATED;
            }
        }
        a.end = end;
        a.repair = repair;
        return true;
    }

    /** The CDRs of an ended call: one, or one per leg of a forwarded call. */
    private void emit(Answered a, Outcome out) {
        AccRow start = a.start;
        Instant answer = start.eventTime();
        Instant end = a.end;
        Repair repair = a.repair;
        Instant setup = a.earliestSetup == null || a.earliestSetup.isBefore(answer) ? a.earliestSetup : answer;
        long billable = seconds(answer, end);
        long duration = seconds(setup == null ? answer : setup, end);
        List<UUID> keys = new ArrayList<>(new TreeSet<>(a.sources));
        AccRow legs = a.stop != null && !a.stop.legSrc().isEmpty() ? a.stop : start;
        int legCount = Math.min(legs.legSrc().size(), legs.legDst().size());
        Integer cause = a.stop == null ? null : a.stop.terminateCause();
        if (legCount < 2) {
            out.cdrs.add(new Cdr(key(start.recordKey(), 0), start.callId(), 0, start.fromTag(), start.toTag(),
                    answer.atZone(settings.zone()).toLocalDate(), setup, answer, end, duration, billable,
                    Disposition.ANSWERED, start.sipCode(), null, start.caller(), start.callee(), start.translatedUri(),
                    billingParty(start), start.userName(), start.srcIp(), start.nasName(), start.nasAddress(), cause,
                    repair, keys));
            return;
        }
        // a forwarded call: one CDR per leg; a later leg is paid by the party that forwarded it
        for (int i = 0; i < legCount; i++) {
            String src = legs.legSrc().get(i);
            String dst = legs.legDst().get(i);
            out.cdrs.add(new Cdr(key(start.recordKey(), i), start.callId(), i, start.fromTag(), start.toTag(),
                    answer.atZone(settings.zone()).toLocalDate(), setup, answer, end, duration, billable,
                    Disposition.ANSWERED, start.sipCode(), null, src, dst, i == legCount - 1 ? start.translatedUri() : null,
                    i == 0 ? billingParty(start) : src, i == 0 ? start.userName() : null, start.srcIp(),
                    start.nasName(), start.nasAddress(), cause, repair, keys));
        }
    }

    private static Long sessionInterval(Answered a) {
        Long interval = a.start.sessionInterval();
        for (AccRow i : a.interims) {
            if (i.sessionInterval() != null) {
                interval = i.sessionInterval();
            }
        }
        return interval;
    }

    private static String billingParty(AccRow r) {
        return r.userName() != null && !r.userName().isEmpty() ? r.userName() : r.caller();
    }

    /** Whole seconds, rounded up: a call of 10.2 s lasted 11 started seconds. */
    static long seconds(Instant from, Instant to) {
        long ms = Duration.between(from, to).toMillis();
        return ms <= 0 ? 0 : (ms + 999) / 1000;
    }

    /** A CDR's identity: the row that anchors it and the leg, so pairing again finds the same CDR. */
    static UUID key(UUID anchor, int leg) {
        return UUID.nameUUIDFromBytes((anchor + "/" + leg).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** An answered call being built. */
    private static final class Answered {
        final AccRow start;
        final List<AccRow> interims = new ArrayList<>();
        final List<UUID> sources = new ArrayList<>();
        Instant earliestSetup;
        AccRow stop;
        Instant end;
        Repair repair;

        Answered(AccRow start) {
            this.start = start;
            sources.add(start.recordKey());
            earliestSetup = start.setupTime();
        }

        void addAll(List<AccRow> rows) {
            for (AccRow r : rows) {
                sources.add(r.recordKey());
                if (r.setupTime() != null && (earliestSetup == null || r.setupTime().isBefore(earliestSetup))) {
                    earliestSetup = r.setupTime();
                }
            }
        }
    }

    /** The result being collected. */
    private static final class Outcome {
        final String callId;
        final List<Cdr> cdrs = new ArrayList<>();
        final List<ReviewItem> reviews = new ArrayList<>();
        Instant revisitAt;
        String pendingReason;

        Outcome(String callId) {
            this.callId = callId;
        }

        void review(AccRow r, ReviewItem.Reason reason, String detail) {
            reviews.add(new ReviewItem(r.recordKey(), callId, reason, detail, r.eventTime()));
        }

        void waitFor(Instant due, String reason) {
            if (revisitAt == null || due.isBefore(revisitAt)) {
                revisitAt = due;
                pendingReason = reason;
            }
        }

        PairingResult result() {
            cdrs.sort(Comparator.comparing(Cdr::cdrKey));
            return new PairingResult(callId, cdrs, reviews, revisitAt, pendingReason);
        }
    }
}
