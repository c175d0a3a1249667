package org.tollgate.diameter.acct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.jdiameter.api.Avp;
import org.jdiameter.client.api.IMessage;
import org.jdiameter.client.impl.parser.MessageParser;
import org.junit.jupiter.api.Test;
import org.tollgate.api.AccountingEvent;
import org.tollgate.api.AccountingKeys;
import org.tollgate.api.AccountingStatus;
import org.tollgate.api.net.Cidr;
import org.tollgate.diameter.BadRequest;
import org.tollgate.diameter.dictionary.AvpPrinter;
import org.tollgate.diameter.dictionary.DiameterDictionary;
import org.tollgate.diameter.peer.DiameterPeer;

class AcrMapperTest {

    static final DiameterPeer PEER = new DiameterPeer("kam", "kamailio.example.org", "example.org", Cidr.parse("10.0.0.1"));
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    final AcrMapper mapper = new AcrMapper(new AvpPrinter(DiameterDictionary.load(null)));

    static IMessage acr(int type, int number) {
        IMessage m = new MessageParser().createEmptyMessage(271, 3);
        m.setRequest(true);
        m.getAvps().addAvp(Avp.SESSION_ID, "kamailio.example.org;1;2", false);
        m.getAvps().addAvp(Avp.ORIGIN_HOST, "kamailio.example.org", true);
        m.getAvps().addAvp(480, type, true, false);
        m.getAvps().addAvp(485, number, true, false, true);
        m.getAvps().addAvp(550, "call-1@example.org", true, false, false);
        m.getAvps().addAvp(553, "from-tag", true, false, false);
        m.getAvps().addAvp(554, "to-tag", true, false, false);
        m.getAvps().addAvp(Avp.USER_NAME, "alice@example.org", true, false, false);
        return m;
    }

    @Test
    void aStopIsTheSipCallLegRadiusAccountingWouldMake() throws BadRequest {
        IMessage m = acr(4, 1);
        m.getAvps().addAvp(46, 65, true, false, true);
        m.getAvps().addAvp(295, 11, true, false); // RADIUS User-Request + 10
        AccountingEvent e = mapper.map(m, PEER, "10.0.0.1", NOW);
        assertThat(e.status()).isEqualTo(AccountingStatus.STOP);
        assertThat(e.acctSessionId()).isEqualTo("call-1@example.org");
        assertThat(e.sessionKey()).isEqualTo(AccountingKeys.sessionKey("call-1@example.org", "to-tag", "from-tag", null));
        assertThat(e.sessionTime()).isEqualTo(65);
        assertThat(e.terminateCause()).isEqualTo(1);
        assertThat(e.nasName()).isEqualTo("kam");
        assertThat(e.attributes()).contains(new AccountingEvent.Attribute("Accounting-Record-Type", "STOP_RECORD"));
    }

    @Test
    void theSameRecordNumberIsTheSameRecordAndTheNextIsAnother() throws BadRequest {
        String first = mapper.map(acr(3, 1), PEER, "10.0.0.1", NOW).recordKey();
        assertThat(mapper.map(acr(3, 1), PEER, "10.0.0.1", NOW.plusSeconds(5)).recordKey()).isEqualTo(first);
        assertThat(mapper.map(acr(3, 2), PEER, "10.0.0.1", NOW).recordKey()).isNotEqualTo(first);
    }

    @Test
    void anEventWithAFailureCodeIsAFailedCall() throws BadRequest {
        IMessage m = acr(1, 0);
        m.getAvps().addAvp(564, "486", true, false, false);
        assertThat(mapper.map(m, PEER, "10.0.0.1", NOW).status()).isEqualTo(AccountingStatus.FAILED);
    }

    @Test
    void aMissingOrImpossibleRecordTypeIsRefusedWithItsResultCode() {
        IMessage m = new MessageParser().createEmptyMessage(271, 3);
        m.getAvps().addAvp(Avp.SESSION_ID, "s", false);
        assertThatThrownBy(() -> mapper.map(m, PEER, "10.0.0.1", NOW)).isInstanceOfSatisfying(BadRequest.class,
                b -> assertThat(b.resultCode()).isEqualTo(5005));
        assertThatThrownBy(() -> mapper.map(acr(7, 0), PEER, "10.0.0.1", NOW)).isInstanceOfSatisfying(BadRequest.class,
                b -> assertThat(b.resultCode()).isEqualTo(5004));
    }

    @Test
    void diameterTerminationCausesBecomeRadiusOnes() {
        assertThat(AcrMapper.radiusTerminateCause(8)).isEqualTo(5);
        assertThat(AcrMapper.radiusTerminateCause(5)).isEqualTo(2);
        assertThat(AcrMapper.radiusTerminateCause(16)).isEqualTo(6);
    }
}
