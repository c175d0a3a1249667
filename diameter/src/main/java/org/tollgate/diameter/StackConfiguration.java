package org.tollgate.diameter;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.jdiameter.server.impl.helpers.XMLConfiguration;
import org.tollgate.diameter.peer.AdmittingPeerTable;

/**
 * jDiameter's server configuration for our settings. Every peer is let through to CER, where
 * {@link AdmittingPeerTable} checks it against Tollgate's peers. jDiameter's duplicate cache is
 * off: it keys on End-to-End-Id alone and replays only answers sent synchronously, and every
 * Tollgate application is idempotent itself.
 */
final class StackConfiguration {

    /** A peer and realm the schema requires; nothing connects to or routes through it. */
    private static final String PLACEHOLDER = "placeholder.invalid";

    private StackConfiguration() {
    }

    static XMLConfiguration of(DiameterSettings s) throws Exception {
        String xml = """
                <?xml version="1.0"?>
                <Configuration xmlns="http://www.jdiameter.org/jdiameter-server">
                  <LocalPeer>
                    <URI value="aaa://%1$s:%3$d"/>
                    <IPAddresses><IPAddress value="%4$s"/></IPAddresses>
                    <Realm value="%2$s"/>
                    <VendorID value="0"/>
                    <ProductName value="Tollgate"/>
                    <FirmwareRevision value="1"/>
                  </LocalPeer>
                  <Parameters>
                    <AcceptUndefinedPeer value="true"/>
                    <DuplicateProtection value="false"/>
                    <DuplicateTimer value="240000"/>
                    <UseUriAsFqdn value="false"/>
                    <QueueSize value="100000"/>
                    <MessageTimeOut value="60000"/>
                    <StopTimeOut value="5000"/>
                    <CeaTimeOut value="10000"/>
                    <IacTimeOut value="%5$d"/>
                    <DwaTimeOut value="%6$d"/>
                    <DpaTimeOut value="5000"/>
                    <RecTimeOut value="10000"/>
                  </Parameters>
                  <Network>
                    <Peers>
                      <Peer name="aaa://%7$s:3868" attempt_connect="false" rating="1"/>
                    </Peers>
                    <Realms>
                      <Realm name="%7$s" peers="%7$s" local_action="LOCAL" dynamic="false" exp_time="1">
                        <ApplicationID><VendorId value="0"/><AuthApplId value="4"/><AcctApplId value="0"/></ApplicationID>
                      </Realm>
                    </Realms>
                  </Network>
                  <Extensions>
                    <PeerController value="%8$s"/>
                  </Extensions>
                </Configuration>
                """.formatted(s.identity(), s.realm(), s.port(), s.bindAddress(), s.watchdogInterval().toMillis(),
                s.watchdogTimeout().toMillis(), PLACEHOLDER, AdmittingPeerTable.class.getName());
        return new XMLConfiguration(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
