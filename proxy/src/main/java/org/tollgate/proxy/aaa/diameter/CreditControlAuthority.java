package org.tollgate.proxy.aaa.diameter;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jdiameter.api.Answer;
import org.jdiameter.api.Avp;
import org.jdiameter.api.AvpDataException;
import org.jdiameter.api.AvpSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.proxy.aaa.AccessRequests;
import org.tollgate.proxy.aaa.CallAuthorization;
import org.tollgate.proxy.aaa.DigestCheck;
import org.tollgate.proxy.aaa.DigestVerdict;
import org.tollgate.proxy.aaa.SubscriberAuthority;

/**
 * Prepaid over Diameter Credit-Control (RFC 4006) for the proxy: digest checks and groups still go
 * to the RADIUS authority, the calls' grants come from CCRs — INITIAL when the INVITE is
 * authorized, UPDATE with the time used since the last report before the grant runs out,
 * TERMINATE when the call ends ({@link #end}). Answers come back as the RADIUS ones would, so
 * the proxy's prepaid control works unchanged: a grant is {@code session_timeout#N}, renewable
 * unless the CCA carries Final-Unit-Indication; 4011 is a postpaid account (no limit); 4012, 5030
 * and 5031 are refusals (402, 403, 404). The call's Session-Id is the proxy's identity and the
 * SIP Call-ID, which also goes as SIP-Callid, so the server keys the prepaid call as its CDR.
 *
 * <p>No answer within Tx from any server allowed ({@link CallAuthorization#allServers()}) is
 * Credit-Control-Failure-Handling's: for a new call CONTINUE lets it go on for {@code
 * failureMaxDuration}, TERMINATE and RETRY_AND_TERMINATE refuse it (500); a re-authorization is
 * left to the proxy's prepaid control, which applies the same handling.
 */
public final class CreditControlAuthority implements SubscriberAuthority {

    private static final Logger log = LoggerFactory.getLogger(CreditControlAuthority.class);

    static final int CREDIT_CONTROL = 272;
    static final int CC_REQUEST_NUMBER = 415;
    static final int CC_REQUEST_TYPE = 416;
    static final int CC_TIME = 420;
    static final int FINAL_UNIT_INDICATION = 430;
    static final int GRANTED_SERVICE_UNIT = 431;
    static final int REQUESTED_SERVICE_UNIT = 437;
    static final int USED_SERVICE_UNIT = 446;
    static final int SERVICE_CONTEXT_ID = 461;
    static final int SUBSCRIPTION_ID = 443;
    static final int SUBSCRIPTION_ID_DATA = 444;
    static final int SUBSCRIPTION_ID_TYPE = 450;
    static final int CALLED_STATION_ID = 30;
    static final int SIP_CALLID = 550;
    static final int CREDIT_CONTROL_FAILURE_HANDLING = 427;
    static final String SERVICE_CONTEXT = "voice@tollgate";

    /** One call under credit control: its session, whose, to where, the next request number, the time reported. */
    static final class CcCall {
        final String sessionId;
        final String account;
        final String destination;
        int nextNumber;
        long reported;

        CcCall(String sessionId, String account, String destination) {
            this.sessionId = sessionId;
            this.account = account;
            this.destination = destination;
        }
    }

    private final SubscriberAuthority radius;
    private final DiameterClient client;
    private final String identity;
    private final boolean continueOnFailure;
    private final Duration failureMaxDuration;
    private final Map<String, CcCall> calls = new ConcurrentHashMap<>();
    private final MeterRegistry registry;

    /**
     * @param continueOnFailure  Credit-Control-Failure-Handling CONTINUE (else TERMINATE or RETRY_AND_TERMINATE)
     * @param failureMaxDuration how long a call goes on that no server authorized, with CONTINUE
     */
    public CreditControlAuthority(SubscriberAuthority radius, DiameterClient client, String identity,
                                  boolean continueOnFailure, Duration failureMaxDuration, MeterRegistry registry) {
        this.radius = radius;
        this.client = client;
        this.identity = identity;
        this.continueOnFailure = continueOnFailure;
        this.failureMaxDuration = failureMaxDuration;
        this.registry = registry;
    }

    @Override
    public CompletionStage<DigestVerdict> verifyDigest(DigestCheck check, CallAuthorization call) {
        if (call == null) {
            return radius.verifyDigest(check, null);
        }
        return radius.verifyDigest(check, null).thenCompose(v -> v.accepted()
                ? credit(AccessRequests.userName(check), call, v.sipAvps())
                : CompletableFuture.completedFuture(v));
    }

    @Override
    public CompletionStage<DigestVerdict> authorizeCall(String user, CallAuthorization call) {
        return credit(user, call, List.of());
    }

    @Override
    public CompletionStage<Boolean> isMember(String user, String group) {
        return radius.isMember(user, group);
    }

    /** CCR-INITIAL for a new call, CCR-UPDATE with the time used since the last report for one under way. */
    CompletionStage<DigestVerdict> credit(String user, CallAuthorization call, List<String> sipAvps) {
        boolean initial = call.usedSeconds() == 0;
        CcCall c = initial
                ? calls.computeIfAbsent(call.callId(), id -> new CcCall(identity + ";" + id, user, call.calledStationId()))
                : calls.get(call.callId());
        if (c == null) {
            // the call's credit control state is gone (the proxy restarted): it ends with its grant
            return CompletableFuture.completedFuture(refused("insufficient credit: no Credit-Control session"));
        }
        int number;
        long usedSince;
        synchronized (c) {
            number = c.nextNumber;
            usedSince = Math.max(0, call.usedSeconds() - c.reported);
        }
        String step = initial ? "initial" : "update";
        return client.send(c.sessionId, CREDIT_CONTROL, DiameterClient.CREDIT_CONTROL, call.allServers(), avps -> {
            avps.addAvp(SERVICE_CONTEXT_ID, SERVICE_CONTEXT, true, false, false);
            avps.addAvp(CC_REQUEST_TYPE, initial ? 1 : 2, true, false);
            avps.addAvp(CC_REQUEST_NUMBER, number, true, false, true);
            subscription(avps, c.account);
            avps.addAvp(CALLED_STATION_ID, c.destination, true, false, false);
            avps.addAvp(SIP_CALLID, call.callId(), true, false, false);
            avps.addGroupedAvp(REQUESTED_SERVICE_UNIT, true, false);
            if (!initial) {
                avps.addGroupedAvp(USED_SERVICE_UNIT, true, false).addAvp(CC_TIME, usedSince, true, false, true);
            }
        }).handle((answer, failure) -> {
            if (failure != null) {
                count(step, "no_server");
                if (initial) {
                    calls.remove(call.callId());
                    if (continueOnFailure) {
                        log.warn("no Diameter server authorized {}: it goes on for at most {} s "
                                + "(failure handling continue)", call.callId(), failureMaxDuration.toSeconds());
                        return granted(sipAvps, failureMaxDuration.toSeconds(), false);
                    }
                }
                return DigestVerdict.noServer();
            }
            return answered(c, call, initial, number, answer, sipAvps, step);
        });
    }

    private DigestVerdict answered(CcCall c, CallAuthorization call, boolean initial, int number, Answer answer,
                                   List<String> sipAvps, String step) {
        long rc = unsigned(answer.getAvps().getAvp(Avp.RESULT_CODE), -1);
        count(step, Long.toString(rc));
        if (rc == 2001) {
            long seconds = grantedSeconds(answer.getAvps());
            boolean last = answer.getAvps().getAvp(FINAL_UNIT_INDICATION) != null;
            synchronized (c) {
                c.nextNumber = Math.max(c.nextNumber, number + 1);
                c.reported = Math.max(c.reported, call.usedSeconds());
            }
            return granted(sipAvps, Math.max(0, seconds), !last);
        }
        if (initial) {
            calls.remove(call.callId()); // no session on the server: no CCR-TERMINATE either
        }
        return switch ((int) rc) {
            case 4011 -> new DigestVerdict(true, false, sipAvps, null, 0, false); // postpaid: no limit
            case 4012 -> refused("insufficient credit");
            case 5030 -> refused("unknown account " + c.account);
            case 5031 -> refused("no rate for the destination " + c.destination);
            case 5002 -> refused("insufficient credit: the Credit-Control session is over");
            default -> DigestVerdict.noServer(); // 3xxx and the like: the server could not decide
        };
    }

    /**
     * The call ended: CCR-TERMINATE with the time used since the last report (0 for a call that
     * never connected: the server gives everything back). Every server is tried; if none answers,
     * the call is debited when its CDR is settled.
     */
    public void end(String callId, long usedSeconds) {
        CcCall c = calls.remove(callId);
        if (c == null) {
            return;
        }
        int number;
        long usedSince;
        synchronized (c) {
            number = c.nextNumber;
            usedSince = Math.max(0, usedSeconds - c.reported);
        }
        client.send(c.sessionId, CREDIT_CONTROL, DiameterClient.CREDIT_CONTROL, true, avps -> {
            avps.addAvp(SERVICE_CONTEXT_ID, SERVICE_CONTEXT, true, false, false);
            avps.addAvp(CC_REQUEST_TYPE, 3, true, false);
            avps.addAvp(CC_REQUEST_NUMBER, number, true, false, true);
            subscription(avps, c.account);
            avps.addAvp(SIP_CALLID, callId, true, false, false);
            avps.addGroupedAvp(USED_SERVICE_UNIT, true, false).addAvp(CC_TIME, usedSince, true, false, true);
        }).whenComplete((answer, failure) -> {
            if (failure != null) {
                count("terminate", "no_server");
                log.warn("no Diameter server answered the CCR-Terminate of {}: it is debited when its CDR is settled",
                        callId);
            } else {
                count("terminate", Long.toString(unsigned(answer.getAvps().getAvp(Avp.RESULT_CODE), -1)));
            }
        });
    }

    /** Calls under credit control now. */
    public int calls() {
        return calls.size();
    }

    private static void subscription(AvpSet avps, String account) {
        AvpSet sub = avps.addGroupedAvp(SUBSCRIPTION_ID, true, false);
        sub.addAvp(SUBSCRIPTION_ID_TYPE, 2, true, false); // END_USER_SIP_URI
        sub.addAvp(SUBSCRIPTION_ID_DATA, account, true, false, false);
    }

    private static DigestVerdict granted(List<String> sipAvps, long seconds, boolean renewable) {
        List<String> avps = new java.util.ArrayList<>(sipAvps);
        avps.add(DigestVerdict.PREPAID_AVP + seconds);
        return new DigestVerdict(true, false, avps, null, seconds, renewable);
    }

    private static DigestVerdict refused(String why) {
        return new DigestVerdict(false, false, List.of(), why, 0, false);
    }

    private static long grantedSeconds(AvpSet avps) {
        Avp gsu = avps.getAvp(GRANTED_SERVICE_UNIT);
        try {
            return gsu == null ? 0 : unsigned(gsu.getGrouped().getAvp(CC_TIME), 0);
        } catch (AvpDataException e) {
            return 0;
        }
    }

    private static long unsigned(Avp a, long otherwise) {
        try {
            return a == null ? otherwise : a.getUnsigned32();
        } catch (AvpDataException e) {
            return otherwise;
        }
    }

    private void count(String step, String result) {
        Counter.builder("tollgate_proxy_credit_control").description("the proxy's CCRs by step and Result-Code")
                .tag("step", step).tag("result", result).register(registry).increment();
    }

    @Override
    public void close() {
        // the RADIUS authority and the Diameter client are closed by their owners
    }
}
