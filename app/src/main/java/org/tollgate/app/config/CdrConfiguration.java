package org.tollgate.app.config;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;

import javax.sql.DataSource;

import org.springframework.batch.core.Job;
import org.springframework.batch.core.explore.JobExplorer;
import org.springframework.batch.core.launch.JobLauncher;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.tollgate.cdr.CdrSettings;
import org.tollgate.cdr.job.CdrJobConfiguration;
import org.tollgate.cdr.job.CdrProgress;
import org.tollgate.cdr.job.CdrRunner;

/**
 * The CDR job, runnable from every process ({@code tollgate batch run} runs it in the CLI's own
 * JVM); the nightly schedule is {@link CdrScheduleConfiguration}, with the {@code batch} role.
 */
@Configuration(proxyBeanMethods = false)
@Import(CdrJobConfiguration.class)
public class CdrConfiguration {

    @Bean
    CdrSettings cdrSettings(TollgateProperties props) {
        TollgateProperties.Cdr c = props.cdr();
        ZoneId zone;
        try {
            zone = ZoneId.of(c.zone());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("tollgate.cdr.zone: '" + c.zone() + "' is not a time zone");
        }
        return new CdrSettings(zone, c.grace(), c.maxDuration(), c.forkWindow(), c.settle(), c.chunkSize(),
                c.legSrcAttribute(), c.legDstAttribute());
    }

    @Bean
    CdrRunner cdrRunner(DataSource dataSource, JobLauncher launcher, JobExplorer explorer, JobRepository repository,
                        Job cdrJob, CdrSettings settings, CdrProgress progress, Clock clock) {
        return new CdrRunner(dataSource, launcher, explorer, repository, cdrJob, settings, progress, clock);
    }
}
