package org.tollgate.diameter;

import org.jdiameter.api.Avp;
import org.jdiameter.api.AvpSet;
import org.jdiameter.api.MetaData;
import org.jdiameter.client.api.IMessage;
import org.jdiameter.client.api.controller.IPeer;
import org.jdiameter.client.impl.MessageUtility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Building answers and sending them back to the peer a request came from, at any later time. */
public final class Answers {

    private static final Logger log = LoggerFactory.getLogger(Answers.class);

    public static final long SUCCESS = 2001;
    public static final long UNABLE_TO_DELIVER = 3002;
    public static final long TOO_BUSY = 3004;
    public static final long APPLICATION_UNSUPPORTED = 3007;
    public static final long AVP_UNSUPPORTED = 5001;
    public static final long INVALID_AVP_VALUE = 5004;
    public static final long MISSING_AVP = 5005;
    public static final long UNABLE_TO_COMPLY = 5012;
    public static final long INVALID_AVP_LENGTH = 5014;

    private final MetaData metaData;

    public Answers(MetaData metaData) {
        this.metaData = metaData;
    }

    /** An answer to {@code request} with this Result-Code (Session-Id and application ids copied). */
    public IMessage answer(IMessage request, long resultCode) {
        IMessage answer = (IMessage) request.createAnswer(resultCode);
        MessageUtility.addOriginAvps(answer, metaData);
        return answer;
    }

    /** An error answer naming the offending AVP in Failed-AVP (RFC 6733 §7.5). */
    public IMessage error(IMessage request, long resultCode, Avp failed, String message) {
        IMessage answer = answer(request, resultCode);
        if (failed != null) {
            AvpSet group = answer.getAvps().addGroupedAvp(Avp.FAILED_AVP);
            group.addAvp(failed);
        }
        if (message != null) {
            answer.getAvps().addAvp(Avp.ERROR_MESSAGE, message, false);
        }
        return answer;
    }

    /** An error answer for a missing AVP: Failed-AVP holds an empty AVP of that code (RFC 6733 §7.5). */
    public IMessage missing(IMessage request, int code, String message) {
        IMessage answer = answer(request, MISSING_AVP);
        AvpSet group = answer.getAvps().addGroupedAvp(Avp.FAILED_AVP);
        group.addAvp(code, new byte[0], true, false);
        answer.getAvps().addAvp(Avp.ERROR_MESSAGE, message, false);
        return answer;
    }

    /** The answer a {@link BadRequest} calls for. */
    public IMessage refuse(IMessage request, BadRequest bad) {
        return bad.avp() != null ? error(request, bad.resultCode(), bad.avp(), bad.getMessage())
                : missing(request, bad.missingCode(), bad.getMessage());
    }

    /** Sends {@code answer} to the peer {@code request} came from; false when that peer is gone. */
    public boolean send(IMessage request, IMessage answer) {
        IPeer peer = request.getPeer();
        if (peer == null) {
            log.warn("no peer to answer {} to", request.getSessionId());
            return false;
        }
        answer.setPeer(peer);
        try {
            return peer.sendMessage(answer);
        } catch (Exception e) {
            log.warn("answer to {} not sent: {}", peer.getUri(), e.toString());
            return false;
        }
    }
}
