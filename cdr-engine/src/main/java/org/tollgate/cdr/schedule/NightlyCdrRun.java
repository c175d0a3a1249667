package org.tollgate.cdr.schedule;

import java.util.List;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.quartz.QuartzJobBean;
import org.tollgate.cdr.job.CdrRunner;
import org.tollgate.cdr.job.RunSummary;

/**
 * The scheduled incremental CDR run. Quartz's clustered JDBC store fires it on one instance; the
 * runner's advisory lock also keeps it apart from a run started by hand.
 */
@DisallowConcurrentExecution
public class NightlyCdrRun extends QuartzJobBean {

    private static final Logger log = LoggerFactory.getLogger(NightlyCdrRun.class);

    private CdrRunner cdrRunner;
    private List<AfterNightlyRun> followUps = List.of();

    /** Injected by Spring's job factory, which creates each Quartz job as a bean. */
    @Autowired
    public void setCdrRunner(CdrRunner cdrRunner) {
        this.cdrRunner = cdrRunner;
    }

    @Autowired(required = false)
    public void setFollowUps(List<AfterNightlyRun> followUps) {
        this.followUps = List.copyOf(followUps);
    }

    @Override
    protected void executeInternal(JobExecutionContext context) throws JobExecutionException {
        try {
            boolean completed = true;
            for (RunSummary s : cdrRunner.run(CdrRunner.Request.incremental(), null)) {
                log.info("scheduled CDR run {}: {} events, {} CDRs ({} answered, {} missed), repaired {}, {} to review",
                        s.status(), s.eventsRead(), s.cdrs(), s.answered(), s.missed(), s.repaired(), s.review());
                completed &= s.completed();
            }
            if (completed) {
                for (AfterNightlyRun f : followUps) {
                    f.completed(context.getScheduledFireTime().toInstant());
                }
            }
        } catch (IllegalStateException busy) {
            log.info("scheduled CDR run skipped: {}", busy.getMessage());
        } catch (Exception e) {
            throw new JobExecutionException(e);
        }
    }
}
