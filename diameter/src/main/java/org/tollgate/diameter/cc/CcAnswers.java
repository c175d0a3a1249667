package org.tollgate.diameter.cc;

import java.math.BigDecimal;
import org.jdiameter.api.Avp;
import org.jdiameter.api.AvpSet;
import org.jdiameter.client.api.IMessage;
import org.tollgate.api.Money;
import org.tollgate.api.prepaid.Grant;
import org.tollgate.diameter.Answers;

/** Credit-Control-Answers (RFC 4006 §3.2) from the prepaid engine's answers. */
final class CcAnswers {

    static final long CREDIT_CONTROL_NOT_APPLICABLE = 4011;
    static final long CREDIT_LIMIT_REACHED = 4012;
    static final long UNKNOWN_SESSION_ID = 5002;
    static final long USER_UNKNOWN = 5030;
    static final long RATING_FAILED = 5031;

    private static final int CC_TIME = 420;
    private static final int COST_INFORMATION = 423;
    private static final int COST_UNIT = 424;
    private static final int CURRENCY_CODE = 425;
    private static final int EXPONENT = 429;
    private static final int FINAL_UNIT_INDICATION = 430;
    private static final int GRANTED_SERVICE_UNIT = 431;
    private static final int UNIT_VALUE = 445;
    private static final int VALUE_DIGITS = 447;
    private static final int VALIDITY_TIME = 448;
    private static final int FINAL_UNIT_ACTION = 449;
    static final int CHECK_BALANCE_RESULT = 422;

    private final Answers answers;

    CcAnswers(Answers answers) {
        this.answers = answers;
    }

    /** A CCA with this Result-Code, CC-Request-Type and -Number as in the request. */
    IMessage cca(IMessage ccr, long resultCode) {
        IMessage a = answers.answer(ccr, resultCode);
        a.getAvps().addAvp(ccr.getAvps().getAvp(Ccr.CC_REQUEST_TYPE));
        a.getAvps().addAvp(ccr.getAvps().getAvp(Ccr.CC_REQUEST_NUMBER));
        return a;
    }

    static long resultCode(Grant.Result r) {
        return switch (r) {
            case GRANTED -> Answers.SUCCESS;
            case POSTPAID -> CREDIT_CONTROL_NOT_APPLICABLE;
            case INSUFFICIENT_CREDIT -> CREDIT_LIMIT_REACHED;
            case UNKNOWN_ACCOUNT -> USER_UNKNOWN;
            case NO_RATE -> RATING_FAILED;
            case UNKNOWN_CALL -> UNKNOWN_SESSION_ID;
            case UNAVAILABLE -> Answers.TOO_BUSY;
        };
    }

    /**
     * The CCA for a grant: Granted-Service-Unit (CC-Time), Validity-Time, and on the last grant
     * the money allows, Final-Unit-Indication with TERMINATE (RFC 4006 §5.6.1).
     */
    IMessage grant(IMessage ccr, Grant g, long validitySeconds) {
        IMessage a = cca(ccr, resultCode(g.result()));
        if (g.granted()) {
            grantedSeconds(a, g.seconds());
            a.getAvps().addAvp(VALIDITY_TIME, validitySeconds, true, false, true);
            if (g.last()) {
                AvpSet fui = a.getAvps().addGroupedAvp(FINAL_UNIT_INDICATION, true, false);
                fui.addAvp(FINAL_UNIT_ACTION, 0, true, false); // TERMINATE
            }
        }
        if (g.reason() != null && !g.granted()) {
            a.getAvps().addAvp(Avp.ERROR_MESSAGE, g.reason(), false);
        }
        return a;
    }

    static void grantedSeconds(IMessage a, long seconds) {
        AvpSet gsu = a.getAvps().addGroupedAvp(GRANTED_SERVICE_UNIT, true, false);
        gsu.addAvp(CC_TIME, seconds, true, false, true);
    }

    /** Cost-Information (RFC 4006 §8.7): the amount as digits and exponent, the ISO 4217 number, what it is for. */
    static void cost(IMessage a, Money money, String unit) {
        AvpSet cost = a.getAvps().addGroupedAvp(COST_INFORMATION, true, false);
        AvpSet value = cost.addGroupedAvp(UNIT_VALUE, true, false);
        BigDecimal amount = money.amount().stripTrailingZeros();
        if (amount.scale() < 0) {
            amount = amount.setScale(0);
        }
        value.addAvp(VALUE_DIGITS, amount.unscaledValue().longValueExact(), true, false);
        value.addAvp(EXPONENT, -amount.scale(), true, false);
        cost.addAvp(CURRENCY_CODE, money.currency().getNumericCode(), true, false, true);
        cost.addAvp(COST_UNIT, unit, true, false, false);
    }
}
