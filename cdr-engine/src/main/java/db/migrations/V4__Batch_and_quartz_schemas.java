package db.migrations;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.support.EncodedResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

/**
 * The Spring Batch job repository and the Quartz JDBC job store, created from the PostgreSQL
 * scripts those libraries ship, so the schema stays in migrations without copying their DDL.
 */
public class V4__Batch_and_quartz_schemas extends BaseJavaMigration {

    static final String BATCH_SCRIPT = "org/springframework/batch/core/schema-postgresql.sql";
    static final String QUARTZ_SCRIPT = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";

    // Quartz's script ends with its own COMMIT; Flyway commits the migration as a whole
    private static final Pattern COMMIT = Pattern.compile("(?im)^\\s*commit\\s*;\\s*$");

    @Override
    public void migrate(Context context) throws Exception {
        for (String script : List.of(BATCH_SCRIPT, QUARTZ_SCRIPT)) {
            String sql = COMMIT.matcher(read(script)).replaceAll("");
            ScriptUtils.executeSqlScript(context.getConnection(),
                    new EncodedResource(new ByteArrayResource(sql.getBytes(StandardCharsets.UTF_8), script)));
        }
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = V4__Batch_and_quartz_schemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
