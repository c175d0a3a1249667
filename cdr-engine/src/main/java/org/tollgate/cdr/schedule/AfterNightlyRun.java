package org.tollgate.cdr.schedule;

import java.time.Instant;

/** Work that follows a completed scheduled CDR run (the daily reports), in the same Quartz job. */
public interface AfterNightlyRun {

    /** Called once the run completed; {@code firedAt} is when the schedule fired it. */
    void completed(Instant firedAt) throws Exception;
}
