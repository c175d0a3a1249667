package org.tollgate.app.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What {@code /api/openapi} says about the API as a whole: every endpoint wants a bearer token. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
public class OpenApiConfiguration {

    @Bean
    OpenAPI tollgateOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Tollgate admin API").version("0.1.0").description(
                        "Every operation of the tollgate CLI. Tokens (Authorization: Bearer) have a role: admin "
                                + "(everything), operator (provisioning, accounting, live calls, batch; no money), finance "
                                + "(CDRs, reports, balances, top-ups), optionally limited to accounts (a reseller). "
                                + "POST /api/cli runs a CLI command as typed and streams its output."))
                .components(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
