package org.tollgate.app.cli;

import java.io.PrintStream;
import java.util.Map;

import org.tollgate.cdr.job.RunSummary;
import org.tollgate.cdr.pairing.Repair;

/** How a CDR run is reported: {@code batch run} and {@code demo} print the same summary. */
public final class RunSummaryOutput {

    private RunSummaryOutput() {
    }

    public static void print(PrintStream out, RunSummary s) {
        out.printf("CDR run %d %s%s: %s in %.1f s%n", s.executionId(), s.status(),
                s.resumed() ? " (resumed)" : "", s.window(), s.took().toMillis() / 1000.0);
        out.printf("  events read      %,d%n", s.eventsRead());
        out.printf("  calls paired     %,d%n", s.calls());
        out.printf("  CDRs written     %,d (%,d answered, %,d missed or failed)%n", s.cdrs(), s.answered(), s.missed());
        StringBuilder repaired = new StringBuilder();
        for (Map.Entry<Repair, Long> e : s.repaired().entrySet()) {
            repaired.append(repaired.length() == 0 ? "" : ", ").append(e.getKey().name().toLowerCase().replace('_', '-'))
                    .append(' ').append(String.format("%,d", e.getValue()));
        }
        out.printf("  repaired         %s%n", repaired);
        out.printf("  sent to review   %,d%n", s.review());
        out.printf("  priced           %,d (%,d UNRATED: no account, plan or rate)%n", s.rated() + s.unrated(), s.unrated());
        out.printf("  still waiting    %,d calls (Start without Stop or Stop without Start, within the grace period)%n", s.pending());
        if (s.superseded() > 0) {
            out.printf("  superseded       %,d earlier CDRs (kept in cdr_audit)%n", s.superseded());
        }
        if (!s.completed() && s.exitDescription() != null && !s.exitDescription().isBlank()) {
            String d = s.exitDescription();
            out.println("  failed: " + d.lines().findFirst().orElse(d));
        }
    }
}
