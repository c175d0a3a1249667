package org.tollgate.cdr.pairing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.tollgate.api.AccountingStatus;
import org.tollgate.cdr.CdrSettings;

class CallPairerTest {

    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    static final Instant LATER = Instant.parse("2026-11-21T10:00:00Z"); // well past the 2 h grace

    final CallPairer pairer = new CallPairer(CdrSettings.defaults(), NasReboots.NONE);

    @Test
    void startAndStopMakeAnAnsweredCdr() {
        Rec start = start("c1", "a", "b", T0);
        Rec stop = stop("c1", "a", "b", T0.plusSeconds(61).plusMillis(200));
        PairingResult r = pair(LATER, start, stop);

        assertThat(r.cdrs()).singleElement().satisfies(c -> {
            assertThat(c.disposition()).isEqualTo(Disposition.ANSWERED);
            assertThat(c.answerTime()).isEqualTo(T0);
            assertThat(c.endTime()).isEqualTo(T0.plusSeconds(61).plusMillis(200));
            assertThat(c.billableSeconds()).isEqualTo(62); // started seconds
            assertThat(c.caller()).isEqualTo("sip:1001@example.com");
            assertThat(c.callee()).isEqualTo("sip:0049301234@example.com");
            assertThat(c.billingParty()).isEqualTo("1001@example.com");
            assertThat(c.repair()).isNull();
            assertThat(c.callDate()).isEqualTo(LocalDate.of(2026, 11, 20));
            assertThat(c.sourceKeys()).containsExactlyInAnyOrder(start.key, stop.key);
        });
        assertThat(r.reviews()).isEmpty();
        assertThat(r.revisitAt()).isNull();
    }

    @Test
    void aStopWrittenFromTheCalleeSidePairsByTheUnorderedTags() {
        Rec stop = stop("c1", "b", "a", T0.plusSeconds(30));
        PairingResult r = pair(LATER, start("c1", "a", "b", T0), stop);
        assertThat(r.cdrs()).singleElement().satisfies(c -> {
            assertThat(c.billableSeconds()).isEqualTo(30);
            assertThat(c.sourceKeys()).contains(stop.key);
        });
    }

    @Test
    void recordsPairWhateverOrderTheyArriveIn() {
        Rec start = start("c1", "a", "b", T0);
        Rec stop = stop("c1", "a", "b", T0.plusSeconds(5));
        assertThat(pair(LATER, stop, start).cdrs()).isEqualTo(pair(LATER, start, stop).cdrs());
    }

    @Test
    void aStopStampedBeforeItsStartStillPairs() {
        PairingResult r = pair(LATER, stop("c1", "a", "b", T0.minusSeconds(2)), start("c1", "a", "b", T0));
        assertThat(r.cdrs()).singleElement().satisfies(c -> {
            assertThat(c.endTime()).isEqualTo(T0);
            assertThat(c.billableSeconds()).isZero();
            assertThat(c.repair()).isNull();
        });
        assertThat(r.reviews()).isEmpty();
    }

    @Test
    void failedCodesMapToDispositionsAndKeepCodeAndReason() {
        Map<Integer, Disposition> expected = Map.of(486, Disposition.BUSY, 600, Disposition.BUSY, 487, Disposition.CANCELLED,
                408, Disposition.NO_ANSWER, 480, Disposition.NO_ANSWER, 404, Disposition.NOT_FOUND, 604, Disposition.NOT_FOUND,
                403, Disposition.FORBIDDEN, 503, Disposition.FAILED, 488, Disposition.FAILED);
        expected.forEach((code, disposition) -> {
            PairingResult r = pair(LATER, failed("c" + code, "a", "x", T0, code));
            assertThat(r.cdrs()).singleElement().satisfies(c -> {
                assertThat(c.disposition()).isEqualTo(disposition);
                assertThat(c.sipCode()).isEqualTo(code);
                assertThat(c.sipReason()).isNotBlank();
                assertThat(c.answerTime()).isNull();
                assertThat(c.billableSeconds()).isZero();
                assertThat(c.endTime()).isEqualTo(T0);
            });
        });
        Rec withReason = failed("c9", "a", "x", T0, 486).reason("Do Not Disturb");
        assertThat(pair(LATER, withReason).cdrs().get(0).sipReason()).isEqualTo("Do Not Disturb");
    }

    @Test
    void forkedBranchesThatFailedBelongToTheAnsweredBranch() {
        Rec busy = failed("c1", "a", "x1", T0.plusSeconds(3), 486);
        Rec cancelled = failed("c1", "a", "x2", T0.plusSeconds(4), 487);
        Rec start = start("c1", "a", "y", T0.plusSeconds(4));
        Rec stop = stop("c1", "a", "y", T0.plusSeconds(64));
        PairingResult r = pair(LATER, busy, cancelled, start, stop);
        assertThat(r.cdrs()).singleElement().satisfies(c -> {
            assertThat(c.disposition()).isEqualTo(Disposition.ANSWERED);
            assertThat(c.toTag()).isEqualTo("y");
            assertThat(c.sourceKeys()).containsExactlyInAnyOrder(busy.key, cancelled.key, start.key, stop.key);
        });
    }

    @Test
    void allBranchesFailingMakeOneMissedCallWithTheFinalAnswer() {
        Rec b1 = failed("c1", "a", "x1", T0, 486);
        Rec b2 = failed("c1", "a", "x2", T0.plusSeconds(1), 480);
        PairingResult r = pair(LATER, b1, b2);
        assertThat(r.cdrs()).singleElement().satisfies(c -> {
            assertThat(c.disposition()).isEqualTo(Disposition.NO_ANSWER);
            assertThat(c.sourceKeys()).containsExactlyInAnyOrder(b1.key, b2.key);
        });
    }

    @Test
    void aForwardedCallMakesOneCdrPerLegBilledToWhoForwarded() {
        List<String> src = List.of("sip:1001@example.com", "sip:1002@example.com");
        List<String> dst = List.of("sip:1002@example.com", "sip:0049301234@example.com");
        PairingResult r = pair(LATER, start("c1", "a", "b", T0).legs(src, dst), stop("c1", "a", "b", T0.plusSeconds(10)).legs(src, dst));
        assertThat(r.cdrs()).hasSize(2);
        Cdr first = r.cdrs().stream().filter(c -> c.legIndex() == 0).findFirst().orElseThrow();
        Cdr second = r.cdrs().stream().filter(c -> c.legIndex() == 1).findFirst().orElseThrow();
        assertThat(first.billingParty()).isEqualTo("1001@example.com");
        assertThat(first.callee()).isEqualTo("sip:1002@example.com");
        assertThat(second.billingParty()).isEqualTo("sip:1002@example.com");
        assertThat(second.caller()).isEqualTo("sip:1002@example.com");
        assertThat(second.callee()).isEqualTo("sip:0049301234@example.com");
        assertThat(first.cdrKey()).isNotEqualTo(second.cdrKey());
        assertThat(second.billableSeconds()).isEqualTo(10);
    }

    @Test
    void duplicatedRecordsAreKeptAsSourcesOfOneCdr() {
        Rec s1 = start("c1", "a", "b", T0);
        Rec s2 = start("c1", "a", "b", T0);
        Rec e1 = stop("c1", "a", "b", T0.plusSeconds(20));
        Rec e2 = stop("c1", "a", "b", T0.plusSeconds(20));
        PairingResult r = pair(LATER, s1, s2, e1, e2);
        assertThat(r.cdrs()).singleElement().satisfies(c -> {
            assertThat(c.billableSeconds()).isEqualTo(20);
            assertThat(c.sourceKeys()).containsExactlyInAnyOrder(s1.key, s2.key, e1.key, e2.key);
        });
    }

    @Test
    void interimUpdatesBelongToTheCall() {
        Rec interim = interim("c1", "a", "b", T0.plusSeconds(900));
        PairingResult r = pair(LATER, start("c1", "a", "b", T0), interim, stop("c1", "a", "b", T0.plusSeconds(1000)));
        assertThat(r.cdrs()).singleElement().satisfies(c -> {
            assertThat(c.sourceKeys()).contains(interim.key);
            assertThat(c.billableSeconds()).isEqualTo(1000);
        });
    }

    @Test
    void aZeroSecondCallIsAnsweredWithNothingToBill() {
        PairingResult r = pair(LATER, start("c1", "a", "b", T0), stop("c1", "a", "b", T0));
        assertThat(r.cdrs()).singleElement().satisfies(c -> {
            assertThat(c.disposition()).isEqualTo(Disposition.ANSWERED);
            assertThat(c.billableSeconds()).isZero();
            assertThat(c.durationSeconds()).isZero();
        });
    }

    @Test
    void aCallIdReusedOnAnotherDayIsAnotherCall() {
        Instant nextDay = T0.plusSeconds(86_400);
        PairingResult r = pair(LATER.plusSeconds(86_400), start("c1", "a", "b", T0), stop("c1", "a", "b", T0.plusSeconds(5)),
                start("c1", "a", "b", nextDay), stop("c1", "a", "b", nextDay.plusSeconds(7)));
        assertThat(r.cdrs()).hasSize(2);
        assertThat(r.cdrs()).extracting(Cdr::callDate)
                .containsExactlyInAnyOrder(LocalDate.of(2026, 11, 20), LocalDate.of(2026, 11, 21));
        assertThat(r.cdrs()).extracting(Cdr::billableSeconds).containsExactlyInAnyOrder(5L, 7L);
    }

    @Test
    void aCallCrossingMidnightBelongsToTheDayItWasAnswered() {
        Instant answer = Instant.parse("2026-11-20T23:59:30Z");
        PairingResult r = pair(LATER, start("c1", "a", "b", answer), stop("c1", "a", "b", answer.plusSeconds(95)));
        assertThat(r.cdrs()).singleElement().satisfies(c -> {
            assertThat(c.callDate()).isEqualTo(LocalDate.of(2026, 11, 20));
            assertThat(c.billableSeconds()).isEqualTo(95);
        });
    }

    @Test
    void aStopWithoutStartWaitsForTheGracePeriodThenGoesToReview() {
        Rec stop = stop("c1", "a", "b", T0);
        PairingResult young = pair(T0.plusSeconds(60), stop);
        assertThat(young.cdrs()).isEmpty();
        assertThat(young.reviews()).isEmpty();
        assertThat(young.revisitAt()).isEqualTo(T0.plusSeconds(7200));

        PairingResult old = pair(LATER, stop);
        assertThat(old.reviews()).singleElement().satisfies(v -> {
            assertThat(v.reason()).isEqualTo(ReviewItem.Reason.STOP_WITHOUT_START);
            assertThat(v.recordKey()).isEqualTo(stop.key);
        });
        assertThat(old.revisitAt()).isNull();
    }

    @Test
    void aStartWithoutStopWaitsForTheGracePeriod() {
        PairingResult r = pair(T0.plusSeconds(3600), start("c1", "a", "b", T0));
        assertThat(r.cdrs()).isEmpty();
        assertThat(r.reviews()).isEmpty();
        assertThat(r.revisitAt()).isEqualTo(T0.plusSeconds(7200));
    }

    @Test
    void aCallStillRefreshingIsNotMissingItsBye() {
        Rec interim = interim("c1", "a", "b", T0.plusSeconds(3 * 3600));
        PairingResult r = pair(T0.plusSeconds(4 * 3600), start("c1", "a", "b", T0), interim);
        assertThat(r.cdrs()).isEmpty();
        assertThat(r.revisitAt()).isEqualTo(T0.plusSeconds(5 * 3600));
    }

    @Test
    void repairByMediaTimeoutFromAMediaRelayRecord() {
        Rec media = new Rec("c1", "STOP", null, null, T0.plusSeconds(300)).cause(4).nas("rtpproxy", "10.0.0.9");
        PairingResult r = pair(LATER, start("c1", "a", "b", T0).interval(1800), media);
        assertThat(r.cdrs()).singleElement().satisfies(c -> {
            assertThat(c.repair()).isEqualTo(Repair.MEDIA_TIMEOUT);
            assertThat(c.endTime()).isEqualTo(T0.plusSeconds(300));
            assertThat(c.billableSeconds()).isEqualTo(300);
            assertThat(c.sourceKeys()).contains(media.key);
        });
    }

    @Test
    void repairByMediaTimeoutPostedToTheApi() {
        CallEvents call = new CallEvents("c1", List.of(start("c1", "a", "b", T0).row()), List.of(T0.plusSeconds(42)));
        assertThat(pairer.pair(call, LATER).cdrs()).singleElement().satisfies(c -> {
            assertThat(c.repair()).isEqualTo(Repair.MEDIA_TIMEOUT);
            assertThat(c.billableSeconds()).isEqualTo(42);
        });
    }

    @Test
    void repairBySessionTimerFromTheLastRefresh() {
        Rec interim = interim("c1", "a", "b", T0.plusSeconds(900)).interval(1800);
        PairingResult r = pair(LATER, start("c1", "a", "b", T0).interval(1800), interim);
        assertThat(r.cdrs()).singleElement().satisfies(c -> {
            assertThat(c.repair()).isEqualTo(Repair.SESSION_TIMER);
            assertThat(c.endTime()).isEqualTo(T0.plusSeconds(900 + 1800));
        });
    }

    @Test
    void repairByTheRebootOfTheNasThatCarriedTheCall() {
        Instant reboot = T0.plusSeconds(1234);
        NasReboots reboots = (nas, from, until) ->
                "127.0.0.1".equals(nas) && !reboot.isBefore(from) && !reboot.isAfter(until) ? Optional.of(reboot) : Optional.empty();
        CallPairer p = new CallPairer(CdrSettings.defaults(), reboots);
        PairingResult r = p.pair(new CallEvents("c1", List.of(start("c1", "a", "b", T0).row()), List.of()), LATER);
        assertThat(r.cdrs()).singleElement().satisfies(c -> {
            assertThat(c.repair()).isEqualTo(Repair.NAS_REBOOT);
            assertThat(c.endTime()).isEqualTo(reboot);
        });
    }

    @Test
    void withoutEvidenceTheCallIsCappedAndFlaggedUnterminated() {
        PairingResult r = pair(LATER, start("c1", "a", "b", T0));
        assertThat(r.cdrs()).singleElement().satisfies(c -> {
            assertThat(c.repair()).isEqualTo(Repair.UNTERMINATED);
            assertThat(c.endTime()).isEqualTo(T0.plusSeconds(3600));
            assertThat(c.billableSeconds()).isEqualTo(3600);
        });
    }

    @Test
    void aRealStopLaterGivesTheSameCdrKeyUnrepaired() {
        Rec start = start("c1", "a", "b", T0);
        Cdr repaired = pair(LATER, start).cdrs().get(0);
        Cdr real = pair(LATER, start, stop("c1", "a", "b", T0.plusSeconds(77))).cdrs().get(0);
        assertThat(real.cdrKey()).isEqualTo(repaired.cdrKey());
        assertThat(real.repair()).isNull();
        assertThat(real.billableSeconds()).isEqualTo(77);
    }

    @Test
    void nasStateAndUnknownRecordsGoToReview() {
        Rec on = new Rec("c1", "ACCOUNTING_ON", null, null, T0);
        Rec other = new Rec("c1", "OTHER", "a", "b", T0);
        PairingResult r = pair(LATER, on, other);
        assertThat(r.reviews()).extracting(ReviewItem::reason)
                .containsExactlyInAnyOrder(ReviewItem.Reason.NAS_STATE, ReviewItem.Reason.UNPARSEABLE);
    }

    @Test
    void aRecordWithoutTagsAndNoCallGoesToReview() {
        Rec bras = new Rec("s1", "STOP", null, null, T0);
        assertThat(pair(LATER, bras).reviews()).singleElement()
                .satisfies(v -> assertThat(v.reason()).isEqualTo(ReviewItem.Reason.NOT_A_CALL));
    }

    @Test
    void theSameTagsReusedAfterAStopAreASecondCall() {
        PairingResult r = pair(LATER, start("c1", "a", "b", T0), stop("c1", "a", "b", T0.plusSeconds(5)),
                start("c1", "a", "b", T0.plusSeconds(100)), stop("c1", "a", "b", T0.plusSeconds(130)));
        assertThat(r.cdrs()).extracting(Cdr::billableSeconds).containsExactlyInAnyOrder(5L, 30L);
    }

    @Test
    void everyRecordEndsInACdrOrInReview() {
        List<Rec> recs = List.of(start("c1", "a", "b", T0), interim("c1", "a", "b", T0.plusSeconds(10)),
                stop("c1", "b", "a", T0.plusSeconds(20)), stop("c1", "a", "b", T0.plusSeconds(20)),
                failed("c1", "a", "x", T0, 486), failed("c1", "q", "z", T0.plusSeconds(4000), 404),
                stop("c1", "m", "n", T0), new Rec("c1", "STOP", null, null, T0.plusSeconds(2)),
                new Rec("c1", "ACCOUNTING_OFF", null, null, T0));
        PairingResult r = pair(LATER, recs.toArray(Rec[]::new));
        List<UUID> seen = new ArrayList<>();
        r.cdrs().forEach(c -> seen.addAll(c.sourceKeys()));
        r.reviews().forEach(v -> seen.add(v.recordKey()));
        assertThat(seen).containsAll(recs.stream().map(x -> x.key).toList());
        assertThat(r.revisitAt()).isNull();
    }

    // --- builders

    PairingResult pair(Instant asOf, Rec... recs) {
        List<AccRow> rows = new ArrayList<>();
        for (Rec r : recs) {
            rows.add(r.row());
        }
        return pairer.pair(new CallEvents(recs[0].callId, rows, List.of()), asOf);
    }

    static Rec start(String callId, String from, String to, Instant t) {
        return new Rec(callId, "START", from, to, t).code(200);
    }

    static Rec stop(String callId, String from, String to, Instant t) {
        return new Rec(callId, "STOP", from, to, t).code(200).method("BYE");
    }

    static Rec interim(String callId, String from, String to, Instant t) {
        return new Rec(callId, "INTERIM_UPDATE", from, to, t).code(200);
    }

    static Rec failed(String callId, String from, String to, Instant t, int code) {
        return new Rec(callId, "FAILED", from, to, t).code(code);
    }

    /** A test record with the proxy's defaults. */
    static final class Rec {
        final UUID key = UUID.randomUUID();
        final String callId;
        final String status;
        final String from;
        final String to;
        final Instant time;
        Integer code;
        String method = "INVITE";
        Integer cause;
        Long interval;
        String reason;
        String nasName = "tollgate-proxy";
        String nasAddress = "127.0.0.1";
        List<String> legSrc = List.of();
        List<String> legDst = List.of();

        Rec(String callId, String status, String from, String to, Instant time) {
            this.callId = callId;
            this.status = status;
            this.from = from;
            this.to = to;
            this.time = time;
        }

        Rec code(int c) {
            code = c;
            return this;
        }

        Rec method(String m) {
            method = m;
            return this;
        }

        Rec cause(int c) {
            cause = c;
            return this;
        }

        Rec interval(long i) {
            interval = i;
            return this;
        }

        Rec reason(String r) {
            reason = r;
            return this;
        }

        Rec nas(String name, String address) {
            nasName = name;
            nasAddress = address;
            return this;
        }

        Rec legs(List<String> src, List<String> dst) {
            legSrc = src;
            legDst = dst;
            return this;
        }

        AccRow row() {
            return new AccRow(key, time, nasName, nasAddress, AccountingStatus.named(status), callId, "1001@example.com",
                    "sip:1001@example.com", "sip:0049301234@example.com", method, code, from, to,
                    "sip:0049301234@10.0.0.1:5060", "10.0.0.5", cause, interval, null, reason, legSrc, legDst);
        }
    }
}
