package org.tollgate.diameter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@code tollgate_diameter_*}: requests by command and result, refused peers. */
public final class DiameterMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> answers = new ConcurrentHashMap<>();
    private final Counter refusedPeers;
    private final Counter expiredSessions;

    public DiameterMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.refusedPeers = Counter.builder("tollgate_diameter_peers_refused").description(
                "CERs refused: unknown Origin-Host, realm or address").register(registry);
        this.expiredSessions = Counter.builder("tollgate_diameter_cc_sessions_expired").description(
                "Credit-Control sessions silent past Tcc: released and flagged").register(registry);
    }

    public void ccSessionExpired() {
        expiredSessions.increment();
    }

    /** One answer sent: command (acr, ccr-initial, …) and Result-Code. */
    public void answered(String command, long resultCode) {
        String key = command + '/' + resultCode;
        answers.computeIfAbsent(key, k -> Counter.builder("tollgate_diameter_answers")
                .description("Diameter answers sent, by request and Result-Code")
                .tag("request", command).tag("result", Long.toString(resultCode)).register(registry)).increment();
    }

    /** Counts {@code answer} under {@code command} by its Result-Code (0 when it has none) and returns it. */
    public org.jdiameter.api.Message answered(String command, org.jdiameter.api.Message answer) {
        org.jdiameter.api.Avp rc = answer.getAvps().getAvp(org.jdiameter.api.Avp.RESULT_CODE);
        long code;
        try {
            code = rc == null ? 0 : rc.getUnsigned32();
        } catch (org.jdiameter.api.AvpDataException e) {
            code = 0;
        }
        answered(command, code);
        return answer;
    }

    public void peerRefused() {
        refusedPeers.increment();
    }

    public MeterRegistry registry() {
        return registry;
    }
}
