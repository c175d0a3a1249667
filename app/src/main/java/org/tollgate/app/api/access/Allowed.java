package org.tollgate.app.api.access;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The roles besides {@link Role#ADMIN} that may call an endpoint (on a method, or on its controller
 * for all its methods). An endpoint without it is the admin's alone. {@code accountScoped}: a token
 * limited to accounts may call it too; the endpoint then checks the account it names
 * ({@link Caller#mayUse}).
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface Allowed {

    Role[] value() default {};

    boolean accountScoped() default false;
}
