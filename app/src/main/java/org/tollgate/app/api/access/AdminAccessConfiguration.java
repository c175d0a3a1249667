package org.tollgate.app.api.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.tollgate.app.config.TollgateProperties;

/** The admin port's access check (role {@code api}): one filter in front of everything it serves. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
public class AdminAccessConfiguration {

    @Bean
    Callers callers(TollgateProperties props, JdbcApiTokens tokens) {
        return new TokenCallers(props.api().token(), tokens);
    }

    @Bean
    WebMvcConfigurer roleCheck(ObjectMapper json, MeterRegistry meters) {
        RoleCheck check = new RoleCheck(json, meters);
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(check);
            }
        };
    }

    @Bean
    LocalCliAccess localCliAccess(TollgateProperties props, JdbcApiTokens tokens) {
        return new LocalCliAccess(props.api().cliFile(), tokens);
    }

    @Bean
    FilterRegistrationBean<AdminAccessFilter> adminAccessFilter(Callers callers, TollgateProperties props,
                                                                ObjectMapper json, MeterRegistry meters, Environment env) {
        // a separate management port is a second servlet container this filter would not guard
        String management = env.getProperty("management.server.port");
        if (management != null && !management.equals(env.getProperty("server.port", "8080"))) {
            throw new IllegalStateException("management.server.port is not supported: health, metrics and the API "
                    + "share server.port, behind one access check");
        }
        AdminAccessFilter filter = new AdminAccessFilter(callers, props.api().metricsNetworks(), relayAddresses(props),
                env.getProperty("management.endpoints.web.base-path", "/actuator"), json, meters);
        FilterRegistrationBean<AdminAccessFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** The configured media relays' addresses (resolved once, at start). */
    private static List<InetAddress> relayAddresses(TollgateProperties props) {
        List<InetAddress> out = new ArrayList<>();
        for (java.net.InetSocketAddress relay : props.proxy().media().relayAddresses()) {
            String host = relay.getHostString();
            try {
                out.addAll(List.of(InetAddress.getAllByName(host)));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("tollgate.proxy.media.relays: cannot resolve " + host, e);
            }
        }
        return out;
    }
}
