package org.tollgate.proxy.aaa;

/** Where the proxy's call accounting goes. {@link #send} never blocks call processing. */
public interface CallAccounting extends AutoCloseable {

    /** Queues the record for delivery; delivery is retried, failed over and spooled to disk. */
    void send(AccountingRecord record);

    @Override
    void close();
}
