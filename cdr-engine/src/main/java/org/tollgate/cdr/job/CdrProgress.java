package org.tollgate.cdr.job;

import java.util.function.Consumer;

import org.springframework.batch.core.StepExecution;

/** Tells whoever started a run (the CLI) about each committed chunk. */
public class CdrProgress {

    private volatile Consumer<StepExecution> listener = s -> { };

    public void listen(Consumer<StepExecution> l) {
        listener = l == null ? s -> { } : l;
    }

    void chunkCommitted(StepExecution step) {
        listener.accept(step);
    }
}
