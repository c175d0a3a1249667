package org.tollgate.api;

import java.util.concurrent.CompletableFuture;

/**
 * Where accounting goes. The returned future completes only once the event is durable
 * (committed to the database or fsynced to the local journal); a NAS may be answered then.
 */
public interface AccountingSink {

    CompletableFuture<Void> submit(AccountingEvent event);
}
