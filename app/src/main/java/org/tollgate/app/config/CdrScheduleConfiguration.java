package org.tollgate.app.config;

import java.text.ParseException;
import java.util.TimeZone;

import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.tollgate.cdr.schedule.NightlyCdrRun;

/** The nightly CDR run (role {@code batch}), at {@code tollgate.cdr.schedule} in {@code tollgate.cdr.zone}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${tollgate.roles:aaa,api,batch}'.contains('batch')")
public class CdrScheduleConfiguration {

    @Bean
    JobDetail nightlyCdrRun() {
        return JobBuilder.newJob(NightlyCdrRun.class).withIdentity("nightly-cdr-run", "tollgate")
                .withDescription("incremental CDR run").storeDurably().requestRecovery().build();
    }

    @Bean
    Trigger nightlyCdrTrigger(JobDetail nightlyCdrRun, TollgateProperties props) {
        String cron = props.cdr().schedule();
        try {
            CronExpression.validateExpression(cron);
        } catch (ParseException e) {
            throw new IllegalArgumentException("tollgate.cdr.schedule: '" + cron + "' is not a Quartz cron expression ("
                    + e.getMessage() + ")");
        }
        return TriggerBuilder.newTrigger().forJob(nightlyCdrRun).withIdentity("nightly-cdr-trigger", "tollgate")
                .withSchedule(CronScheduleBuilder.cronSchedule(cron).inTimeZone(TimeZone.getTimeZone(props.cdr().zone()))
                        .withMisfireHandlingInstructionFireAndProceed())
                .build();
    }
}
