package org.tollgate.diameter.peer;

import java.net.URISyntaxException;
import java.net.UnknownServiceException;
import org.jdiameter.api.Configuration;
import org.jdiameter.api.InternalException;
import org.jdiameter.api.MetaData;
import org.jdiameter.api.URI;
import org.jdiameter.client.api.IContainer;
import org.jdiameter.client.api.ISessionFactory;
import org.jdiameter.client.api.io.IConnection;
import org.jdiameter.client.api.io.TransportException;
import org.jdiameter.client.api.parser.IMessageParser;
import org.jdiameter.common.api.concurrent.IConcurrentFactory;
import org.jdiameter.common.api.statistic.IStatisticManager;
import org.jdiameter.server.api.IFsmFactory;
import org.jdiameter.server.api.INetwork;
import org.jdiameter.server.api.IOverloadManager;
import org.jdiameter.server.api.IPeer;
import org.jdiameter.server.api.io.ITransportLayerFactory;
import org.jdiameter.server.impl.MutablePeerTableImpl;

/**
 * jDiameter's peer table (its {@code PeerController} extension) with Tollgate's peer check at
 * CER. jDiameter either accepts any peer or drops an unknown one's connection without a word;
 * RFC 6733 §5.3 wants a CEA with DIAMETER_UNKNOWN_PEER. So jDiameter accepts every peer
 * ({@code AcceptUndefinedPeer}) and each peer it makes asks {@link CerCheck} first.
 */
public class AdmittingPeerTable extends MutablePeerTableImpl {

    private volatile CerCheck check = (host, realm, from) -> 3010;

    public AdmittingPeerTable(Configuration config, MetaData metaData, IContainer stack,
                              org.jdiameter.server.api.IRouter router, ISessionFactory sessionFactory,
                              IFsmFactory fsmFactory, ITransportLayerFactory trFactory, IMessageParser parser,
                              INetwork network, IOverloadManager ovrManager, IStatisticManager statisticFactory,
                              IConcurrentFactory concurrentFactory) {
        super(config, metaData, stack, router, sessionFactory, fsmFactory, trFactory, parser, network, ovrManager,
                statisticFactory, concurrentFactory);
    }

    public void setCerCheck(CerCheck check) {
        this.check = check;
    }

    CerCheck cerCheck() {
        return check;
    }

    @Override
    protected IPeer newPeerInstance(int rating, URI uri, String ip, String portRange, boolean attCnn,
                                    IConnection connection, MetaData metaData, Configuration globalConfig,
                                    Configuration peerConfig, IFsmFactory fsmFactory,
                                    ITransportLayerFactory transportFactory,
                                    IMessageParser parser, IStatisticManager statisticFactory,
                                    IConcurrentFactory concurrentFactory)
            throws URISyntaxException, UnknownServiceException, InternalException, TransportException {
        return new AdmittedPeer(rating, uri, ip, portRange, attCnn, connection, this,
                (org.jdiameter.server.api.IMetaData) metaData, globalConfig, peerConfig, sessionFactory, fsmFactory,
                transportFactory, statisticFactory, concurrentFactory, parser, network,
                ovrManager, sessionDatasource);
    }
}
