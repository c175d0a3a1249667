package org.tollgate.tests.cdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tollgate.tests.support.TollgateInstance;

/** The nightly run: Quartz's clustered JDBC store holds the trigger and fires the CDR job. */
class CdrScheduleIT {

    @Test
    void theBatchRoleSchedulesAndRunsTheCdrJob() {
        try (TollgateInstance tollgate = new TollgateInstance("tollgate.roles=batch",
                "tollgate.cdr.schedule=* * * * * ?", "tollgate.cdr.zone=Europe/Berlin", "tollgate.cdr.settle=0s")) {
            Map<String, Object> trigger = tollgate.jdbc().queryForMap(
                    "SELECT cron_expression, time_zone_id FROM qrtz_cron_triggers WHERE trigger_name = 'nightly-cdr-trigger'");
            assertThat(trigger).containsEntry("cron_expression", "* * * * * ?").containsEntry("time_zone_id", "Europe/Berlin");
            await().atMost(Duration.ofSeconds(30)).until(() -> tollgate.jdbc().queryForObject(
                    "SELECT count(*) FROM batch_job_execution WHERE status = 'COMPLETED'", Integer.class) > 0);
            // clustered: the instance checks in with the shared job store
            assertThat(tollgate.jdbc().queryForObject("SELECT count(*) FROM qrtz_scheduler_state", Integer.class)).isPositive();
        }
    }

    @Test
    void aBadScheduleStopsStartUp() {
        assertThatThrownBy(() -> new TollgateInstance("tollgate.roles=batch", "tollgate.cdr.schedule=every night"))
                .hasStackTraceContaining("tollgate.cdr.schedule: 'every night' is not a Quartz cron expression");
    }
}
