package org.tollgate.app.cli;

import java.nio.file.Path;

import org.springframework.context.ConfigurableApplicationContext;
import org.tollgate.aaa.radius.auth.JdbcUserRepository;
import org.tollgate.aaa.radius.auth.RadiusUser;
import org.tollgate.aaa.radius.dictionary.RadiusDictionaries;
import org.tollgate.app.TollgateMain;

/** Small helpers shared by the commands. */
final class CliSupport {

    private CliSupport() {
    }

    static RadiusDictionaries dictionaries(TollgateMain main) {
        String dir = main.properties().get("tollgate.radius.dictionary-dir");
        if (dir == null) {
            dir = System.getenv("TOLLGATE_RADIUS_DICTIONARY_DIR");
        }
        return RadiusDictionaries.load(dir == null ? null : Path.of(dir));
    }

    static int setStatus(TollgateMain main, String name, String realm, RadiusUser.Status status) {
        try (ConfigurableApplicationContext ctx = main.dataContext()) {
            if (!ctx.getBean(JdbcUserRepository.class).setStatus(name, realm, status)) {
                System.err.println("no user " + (realm.isEmpty() ? name : name + "@" + realm));
                return 1;
            }
        }
        System.out.println((realm.isEmpty() ? name : name + "@" + realm) + " is now " + status.name().toLowerCase());
        return 0;
    }
}
