package org.tollgate.app.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Bounded waits: a demo step that does not happen in time fails with what it waited for. */
final class Waits {

    private Waits() {
    }

    static <T> T get(CompletableFuture<T> f, Duration timeout, String what) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new DemoFailure(what + ": nothing within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new DemoFailure(what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoFailure(what + ": interrupted");
        }
    }

    static void until(BooleanSupplier done, Duration timeout, String what) {
        Instant end = Instant.now().plus(timeout);
        while (!done.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new DemoFailure(what + ": not within " + timeout.toSeconds() + " s");
            }
            sleep(Duration.ofMillis(200));
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoFailure("interrupted");
        }
    }
}
