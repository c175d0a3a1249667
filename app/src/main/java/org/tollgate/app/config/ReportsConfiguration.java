package org.tollgate.app.config;

import java.nio.file.Path;
import java.time.ZoneId;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.tollgate.app.report.DailyReports;
import org.tollgate.reports.CsvOptions;
import org.tollgate.reports.Reports;

/** Finance reports, in every process (CLI, API, the nightly run). */
@Configuration(proxyBeanMethods = false)
public class ReportsConfiguration {

    @Bean
    Reports reports(DataSource dataSource, TollgateProperties props) {
        return new Reports(dataSource, ZoneId.of(props.reports().zone()));
    }

    /** The previous day's reports after the nightly run, when a directory is configured. */
    @Bean
    @ConditionalOnExpression("!'${tollgate.reports.daily-dir:}'.isBlank()")
    DailyReports dailyReports(Reports reports, CsvOptions csv, TollgateProperties props) {
        TollgateProperties.Reports r = props.reports();
        return new DailyReports(reports, csv, Path.of(r.dailyDir()), ZoneId.of(r.zone()), r.daily(), r.dailyFormats());
    }

    @Bean
    CsvOptions csvOptions(TollgateProperties props) {
        return new CsvOptions(props.reports().csvDelimiter().charAt(0), props.reports().csvBom());
    }
}
