package org.tollgate.diameter.peer;

import java.net.InetAddress;
import org.jdiameter.api.Avp;
import org.jdiameter.api.AvpDataException;
import org.jdiameter.api.Configuration;
import org.jdiameter.api.InternalException;
import org.jdiameter.api.URI;
import org.jdiameter.client.api.IMessage;
import org.jdiameter.client.api.ISessionFactory;
import org.jdiameter.client.api.fsm.IContext;
import org.jdiameter.client.api.io.IConnection;
import org.jdiameter.client.api.io.TransportException;
import org.jdiameter.client.api.parser.IMessageParser;
import org.jdiameter.common.api.concurrent.IConcurrentFactory;
import org.jdiameter.common.api.data.ISessionDatasource;
import org.jdiameter.common.api.statistic.IStatisticManager;
import org.jdiameter.server.api.IFsmFactory;
import org.jdiameter.server.api.IMetaData;
import org.jdiameter.server.api.INetwork;
import org.jdiameter.server.api.IOverloadManager;
import org.jdiameter.server.api.io.ITransportLayerFactory;
import org.jdiameter.server.impl.PeerImpl;

/** A jDiameter server peer whose CER is first put to Tollgate's {@link CerCheck}; a refusal is answered in the CEA. */
class AdmittedPeer extends PeerImpl {

    private final AdmittingPeerTable table;

    AdmittedPeer(int rating, URI remotePeer, String ip, String portRange, boolean attCnn, IConnection connection,
                 AdmittingPeerTable peerTable, IMetaData metaData, Configuration config, Configuration peerConfig,
                 ISessionFactory sessionFactory, IFsmFactory fsmFactory, ITransportLayerFactory trFactory,
                 IStatisticManager statisticFactory, IConcurrentFactory concurrentFactory, IMessageParser parser,
                 INetwork nWork, IOverloadManager oManager, ISessionDatasource sessionDataSource)
            throws InternalException, TransportException {
        super(rating, remotePeer, ip, portRange, attCnn, connection, peerTable, metaData, config, peerConfig,
                sessionFactory, fsmFactory, trFactory, statisticFactory, concurrentFactory, parser, nWork, oManager,
                sessionDataSource);
        this.table = peerTable;
    }

    @Override
    public IContext getContext() {
        // called by the super constructor: the context reads the table only when a CER comes
        return new LocalActionConext() {
            @Override
            public int processCerMessage(String key, IMessage message) {
                Integer refusal = check(key, message);
                return refusal != null ? refusal : super.processCerMessage(key, message);
            }
        };
    }

    private Integer check(String key, IMessage cer) {
        IConnection c = incConnections.get(key);
        if (c == null) {
            c = connection;
        }
        InetAddress from = c == null ? null : c.getRemoteAddress();
        try {
            Avp host = cer.getAvps().getAvp(Avp.ORIGIN_HOST);
            Avp realm = cer.getAvps().getAvp(Avp.ORIGIN_REALM);
            if (host == null || realm == null || from == null) {
                return 5005; // DIAMETER_MISSING_AVP
            }
            return table.cerCheck().refuse(host.getDiameterIdentity(), realm.getDiameterIdentity(), from);
        } catch (AvpDataException e) {
            return 5004; // DIAMETER_INVALID_AVP_VALUE
        }
    }
}
