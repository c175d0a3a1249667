package org.tollgate.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The one Spring Boot application. Started by {@link TollgateMain} for every command. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TollgateApplication {
}
