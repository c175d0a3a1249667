package org.tollgate.proxy.aaa;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import io.micrometer.core.instrument.MeterRegistry;
import org.tinyradius.core.RadiusPacketException;
import org.tinyradius.core.packet.PacketType;

/** Call accounting over RADIUS (Accounting-Request), queued and spooled by {@link SpoolingCallAccounting}. */
public final class RadiusAccountingClient extends SpoolingCallAccounting {

    public RadiusAccountingClient(RadiusClientSettings settings, MeterRegistry registry) {
        this(settings, registry, Clock.systemUTC());
    }

    public RadiusAccountingClient(RadiusClientSettings settings, MeterRegistry registry, Clock clock) {
        this(settings, registry, clock, RECORDS_PER_SEGMENT, Duration.ofSeconds(1));
    }

    RadiusAccountingClient(RadiusClientSettings settings, MeterRegistry registry, Clock clock,
                           int recordsPerSegment, Duration replayInterval) {
        super(new Radius(settings), settings.spoolDir(), settings.queueCapacity(), settings.maxInFlight(), registry,
                clock, recordsPerSegment, replayInterval);
    }

    /** Accounting-Requests to the configured servers, retransmitted and failed over by {@link RadiusTransport}. */
    private static final class Radius implements RecordDelivery {

        private final AccountingRequests requests;
        private final RadiusTransport transport;

        Radius(RadiusClientSettings settings) {
            this.requests = new AccountingRequests(new AttributeEncoder(SipAccDictionary.get()), settings);
            this.transport = new RadiusTransport("tollgate-acct-io", SipAccDictionary.get(), settings.acctServers(),
                    settings.timeout(), settings.triesPerServer());
        }

        @Override
        public void check(AccountingRecord record) {
            requests.check(record);
        }

        @Override
        public CompletableFuture<Boolean> deliver(AccountingRecord record, long delaySeconds) {
            try {
                return transport.send(requests.build(record, transport.nextId(), delaySeconds))
                        .thenApply(response -> response.getType() == PacketType.ACCOUNTING_RESPONSE);
            } catch (RadiusPacketException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            transport.close();
        }
    }
}
