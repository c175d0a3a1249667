package org.tollgate.proxy.aaa;

import java.util.concurrent.CompletableFuture;

/**
 * Sends one accounting record to a server of one protocol, retrying and failing over as that
 * protocol does; {@link SpoolingCallAccounting} around it queues, spools and replays.
 */
public interface RecordDelivery extends AutoCloseable {

    /** Refuses (IllegalArgumentException) a record that can never be sent, e.g. an unknown status type. */
    void check(AccountingRecord record);

    /**
     * Sends the record, {@code delaySeconds} after its event (RADIUS Acct-Delay-Time); completes
     * true once a server acknowledged it, false or exceptionally when none did. Throws
     * (RuntimeException) when the record cannot be encoded.
     */
    CompletableFuture<Boolean> deliver(AccountingRecord record, long delaySeconds);

    @Override
    void close();
}
