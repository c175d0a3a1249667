package org.tollgate.cdr.job;

import javax.sql.DataSource;

import org.springframework.batch.core.ChunkListener;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.Step;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.tollgate.api.rating.CdrRating;
import org.tollgate.cdr.CdrSettings;
import org.tollgate.cdr.pairing.CallEvents;
import org.tollgate.cdr.pairing.CallPairer;
import org.tollgate.cdr.pairing.JdbcNasReboots;
import org.tollgate.cdr.pairing.PairingResult;

/**
 * The CDR job: triage (rows no call can own) → pair (Call-ID by Call-ID, chunks committed with
 * the reader's position) → checkpoint. Needs a {@link CdrSettings}, a DataSource and Spring
 * Batch's infrastructure (job repository, transaction manager, step scope).
 */
@Configuration(proxyBeanMethods = false)
public class CdrJobConfiguration {

    public static final String JOB = "cdrJob";

    /** The job; with a {@link CdrRating} (rating, wired by the application) its step runs after pairing. */
    @Bean
    Job cdrJob(JobRepository repository, PlatformTransactionManager tx, Step cdrTriage, Step cdrPair, Step cdrCheckpoint,
               ObjectProvider<CdrRating> rating) {
        var flow = new JobBuilder(JOB, repository).start(cdrTriage).next(cdrPair);
        CdrRating r = rating.getIfAvailable();
        if (r != null) {
            RatingTasklet tasklet = new RatingTasklet(r);
            flow = flow.next(new StepBuilder(RatingTasklet.STEP, repository).tasklet(tasklet, tx).listener(tasklet).build());
        }
        return flow.next(cdrCheckpoint).build();
    }

    @Bean
    Step cdrTriage(JobRepository repository, PlatformTransactionManager tx, DataSource dataSource, CdrSettings settings) {
        return new StepBuilder("cdrTriage", repository).tasklet(new TriageTasklet(dataSource, settings.zone()), tx).build();
    }

    @Bean
    Step cdrPair(JobRepository repository, PlatformTransactionManager tx, CdrSettings settings,
                 CallEventsReader cdrReader, PairingProcessor cdrPairer,
                 JdbcCdrWriter cdrWriter, CdrProgress progress) {
        return new StepBuilder("cdrPair", repository)
                .<CallEvents, PairingResult>chunk(settings.chunkSize(), tx)
                .reader(cdrReader).processor(cdrPairer).writer(cdrWriter)
                .listener(cdrWriter)
                .listener(new ChunkListener() {
                    @Override
                    public void afterChunk(ChunkContext context) {
                        progress.chunkCommitted(context.getStepContext().getStepExecution());
                    }
                })
                .build();
    }

    @Bean
    Step cdrCheckpoint(JobRepository repository, PlatformTransactionManager tx, DataSource dataSource, CdrSettings settings) {
        return new StepBuilder("cdrCheckpoint", repository)
                .tasklet(new CheckpointTasklet(dataSource, settings.zone()), tx).build();
    }

    @Bean
    @StepScope
    CallEventsReader cdrReader(DataSource dataSource, CdrSettings settings,
                               @Value("#{jobParameters['since']}") String since,
                               @Value("#{jobParameters['until']}") String until,
                               @Value("#{jobParameters['day']}") String day) {
        return new CallEventsReader(dataSource, window(settings, since, until, day), settings);
    }

    @Bean
    @StepScope
    PairingProcessor cdrPairer(DataSource dataSource, CdrSettings settings,
                               @Value("#{jobParameters['since']}") String since,
                               @Value("#{jobParameters['until']}") String until,
                               @Value("#{jobParameters['day']}") String day) {
        RunWindow w = window(settings, since, until, day);
        return new PairingProcessor(new CallPairer(settings, JdbcNasReboots.load(dataSource)), w.asOf());
    }

    @Bean
    @StepScope
    JdbcCdrWriter cdrWriter(DataSource dataSource) {
        return new JdbcCdrWriter(dataSource);
    }

    @Bean
    CdrProgress cdrProgress() {
        return new CdrProgress();
    }

    private static RunWindow window(CdrSettings settings, String since, String until, String day) {
        var b = new org.springframework.batch.core.JobParametersBuilder().addString(RunWindow.SINCE, since)
                .addString(RunWindow.UNTIL, until);
        if (day != null) {
            b.addString(RunWindow.DAY, day);
        }
        return RunWindow.of(b.toJobParameters(), settings.zone());
    }
}
