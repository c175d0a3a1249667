package org.tollgate.app.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.tollgate.app.db.EmbeddedDatabase;

/**
 * Before the context starts: refuse keys that were replaced; without {@code spring.datasource.url},
 * start (or attach to) the embedded PostgreSQL and point the data source at it, with its password;
 * without the {@code api} role, no web server; without the {@code batch} role, no Quartz scheduler.
 */
public class TollgateEnvironment implements EnvironmentPostProcessor, Ordered {

    /** Keys that no longer work, with what replaced them: a setting silently ignored would be worse than a refusal. */
    static final Map<String, String> REPLACED = Map.of("tollgate.reports.api-token", "tollgate.api.token");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        REPLACED.forEach((old, now) -> {
            if (env.containsProperty(old)) {
                throw new IllegalStateException(old + " was replaced by " + now + ": set that instead (it guards every "
                        + "/api and actuator endpoint but health)");
            }
        });
        Map<String, Object> props = new HashMap<>();
        if (!env.containsProperty("spring.datasource.url")) {
            Path dir = Path.of(env.getProperty("tollgate.embedded-db.data-dir", "data/pg"));
            int port = env.getProperty("tollgate.embedded-db.port", Integer.class, 15432);
            props.put("spring.datasource.url", EmbeddedDatabase.urlFor(dir, port));
            // in memory only: never in the URL, which Hikari and the logs may show
            props.put("spring.datasource.username", EmbeddedDatabase.USER);
            props.put("spring.datasource.password", EmbeddedDatabase.password(dir));
        }
        List<String> roles = List.of(env.getProperty("tollgate.roles", "aaa,api,batch").split("\\s*,\\s*"));
        if (!roles.contains("api")) {
            props.put("spring.main.web-application-type", "none");
        }
        // only a batch instance runs the scheduler; the others (and every CLI command) leave it to them
        props.put("spring.quartz.auto-startup", roles.contains("batch"));
        env.getPropertySources().addFirst(new MapPropertySource("tollgate-derived", props));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
