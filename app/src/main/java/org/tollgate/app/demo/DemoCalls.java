package org.tollgate.app.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tollgate.app.demo.DemoGateway.Behaviour;

/**
 * The calls of the demo, placed for real through the proxy: three answered ones, a busy one,
 * one nobody answers, one the caller cancels, and one whose caller vanishes after the answer.
 */
final class DemoCalls {

    static final String BERLIN = "00493055501001";
    static final String LONDON = "00442079460123";
    static final String PARIS = "0033140205060";
    static final String MUNICH_BUSY = "0049891234567";
    static final String HAMBURG_NO_ANSWER = "0049401234567";
    static final String MARSEILLE_CANCELLED = "0033491234567";
    static final String BERLIN_LOST = "00493055501999";
    /** The one number whose calls go through the media relay (its PSTN route's media policy). */
    static final String BERLIN_MEDIA_STOPS = "00493055501777";

    /** What the gateway does with each number. */
    static Map<String, Behaviour> gatewayPlan() {
        Map<String, Behaviour> m = new LinkedHashMap<>();
        m.put(BERLIN, Behaviour.ANSWER);
        m.put(LONDON, Behaviour.ANSWER);
        m.put(PARIS, Behaviour.ANSWER);
        m.put(MUNICH_BUSY, Behaviour.BUSY);
        m.put(HAMBURG_NO_ANSWER, Behaviour.RING);
        m.put(MARSEILLE_CANCELLED, Behaviour.RING);
        m.put(BERLIN_LOST, Behaviour.ANSWER);
        m.put(BERLIN_MEDIA_STOPS, Behaviour.ANSWER);
        m.put(DemoPrepaid.PARIS_CUT, Behaviour.ANSWER);
        m.put(DemoPrepaid.PARIS_AFTER_VOUCHER, Behaviour.ANSWER);
        return m;
    }

    /** A call placed, with what its CDR must say: the disposition and, for an answered call, the terminate cause. */
    record Placed(String caller, String number, String callId, String disposition, Integer terminateCause) {
    }

    private static final Duration ANSWER_WAIT = Duration.ofSeconds(15);
    static final int SESSION_TIMEOUT = 5;

    private final DemoGateway gateway;
    private final PrintStream out;
    private final Duration sessionExpires;
    private final Duration noAnswerTimeout;
    private final List<Placed> placed = new ArrayList<>();
    private final boolean mediaRelay;

    /** {@code mediaRelay}: rtpengine runs, so the call whose media stops is placed too. */
    DemoCalls(DemoGateway gateway, PrintStream out, Duration sessionExpires, Duration noAnswerTimeout,
              boolean mediaRelay) {
        this.gateway = gateway;
        this.mediaRelay = mediaRelay;
        this.out = out;
        this.sessionExpires = sessionExpires;
        this.noAnswerTimeout = noAnswerTimeout;
    }

    /** Places every call and waits until each has ended; returns them in the order placed. */
    List<Placed> placeAll(SipPhone alice, SipPhone bob, SipPhone carol) throws Exception {
        // first, so that its session timer runs out while the other calls are placed
        PhoneCall lost = answered(carol, BERLIN_LOST);
        carol.close();
        out.printf("  %s -> %s: answered; then %s's phone vanishes (no BYE, no refresh); the proxy's session timer "
                + "(%d s) must end it%n", carol.aor(), BERLIN_LOST, carol.name(), sessionExpires.toSeconds());
        placed.add(new Placed(carol.aor(), BERLIN_LOST, lost.callId, "ANSWERED", SESSION_TIMEOUT));

        talk(alice, BERLIN, Duration.ofSeconds(4));
        talk(bob, LONDON, Duration.ofSeconds(3));
        talk(alice, PARIS, Duration.ofSeconds(5));
        if (mediaRelay) {
            mediaStops(bob, BERLIN_MEDIA_STOPS, Duration.ofSeconds(3));
        }

        PhoneCall busy = alice.call(MUNICH_BUSY);
        expect(busy, 486, ANSWER_WAIT);
        out.printf("  %s -> %s: 486 Busy Here%n", alice.aor(), MUNICH_BUSY);
        placed.add(new Placed(alice.aor(), MUNICH_BUSY, busy.callId, "BUSY", null));

        PhoneCall unanswered = bob.call(HAMBURG_NO_ANSWER);
        Waits.get(unanswered.ringing, ANSWER_WAIT, "ringing of " + HAMBURG_NO_ANSWER);
        expect(unanswered, 408, noAnswerTimeout.plusSeconds(15));
        out.printf("  %s -> %s: rang %d s unanswered; the proxy cancelled it and answered 408 No Answer%n", bob.aor(),
                HAMBURG_NO_ANSWER, noAnswerTimeout.toSeconds());
        placed.add(new Placed(bob.aor(), HAMBURG_NO_ANSWER, unanswered.callId, "NO_ANSWER", null));

        PhoneCall cancelled = bob.call(MARSEILLE_CANCELLED);
        Waits.get(cancelled.ringing, ANSWER_WAIT, "ringing of " + MARSEILLE_CANCELLED);
        Waits.sleep(Duration.ofSeconds(2));
        bob.cancel(cancelled);
        expect(cancelled, 487, ANSWER_WAIT);
        out.printf("  %s -> %s: rang 2 s, the caller hung up: CANCEL, 487 Request Terminated%n", bob.aor(),
                MARSEILLE_CANCELLED);
        placed.add(new Placed(bob.aor(), MARSEILLE_CANCELLED, cancelled.callId, "CANCELLED", null));

        Waits.get(gateway.bye(lost.callId), sessionExpires.plusSeconds(20),
                "the session timer's BYE for " + carol.aor() + "'s call");
        out.printf("  %s -> %s: the proxy's session timer expired and it sent BYE to both sides%n", carol.aor(),
                BERLIN_LOST);
        return placed;
    }

    private void talk(SipPhone phone, String number, Duration length) throws Exception {
        PhoneCall c = answered(phone, number);
        Waits.sleep(length);
        phone.hangUp(c);
        int bye = Waits.get(c.ended, ANSWER_WAIT, "BYE of " + phone.aor() + " to " + number);
        Waits.get(gateway.bye(c.callId), ANSWER_WAIT, "the BYE reaching the gateway");
        if (bye != 200) {
            throw new DemoFailure(phone.aor() + " -> " + number + ": BYE answered " + bye);
        }
        out.printf("  %s -> %s: answered, talked %d s, hung up (BYE, 200)%n", phone.aor(), number, length.toSeconds());
        // a BYE from the caller: a Stop without Acct-Terminate-Cause
        placed.add(new Placed(phone.aor(), number, c.callId, "ANSWERED", null));
    }

    /** Answered; RTP through the relay, then silence and no BYE: the relay's timeout ends it. */
    private void mediaStops(SipPhone phone, String number, Duration media) throws Exception {
        PhoneCall c = answered(phone, number);
        phone.sendMedia(c, media);
        Duration wait = Duration.ofSeconds(DemoRelay.TIMEOUT_SECONDS + 15);
        int bye = Waits.get(c.ended, wait, "the proxy's BYE to " + phone.aor() + " once the media stopped");
        Waits.get(gateway.bye(c.callId), wait, "the proxy's BYE to the gateway once the media stopped");
        if (bye != 200) {
            throw new DemoFailure(phone.aor() + " -> " + number + ": the media timeout ended it with " + bye);
        }
        out.printf("  %s -> %s: answered, %d s of RTP through rtpengine, then silence (no BYE); the relay timed it "
                + "out after %d s, the proxy sent BYE to both sides and billed it to the last packet%n", phone.aor(),
                number, media.toSeconds(), DemoRelay.TIMEOUT_SECONDS);
        placed.add(new Placed(phone.aor(), number, c.callId, "ANSWERED", 4)); // Idle-Timeout
    }

    private static PhoneCall answered(SipPhone phone, String number) throws Exception {
        PhoneCall c = phone.call(number);
        expect(c, 200, ANSWER_WAIT);
        return c;
    }

    private static void expect(PhoneCall c, int code, Duration wait) {
        int got = Waits.get(c.answer, wait, "the answer to the call to " + c.number);
        if (got != code) {
            throw new DemoFailure("the call to " + c.number + " was answered " + got + ", expected " + code);
        }
        if (!c.challenged) {
            throw new DemoFailure("the proxy let the call to " + c.number + " through without a digest challenge");
        }
    }

}
