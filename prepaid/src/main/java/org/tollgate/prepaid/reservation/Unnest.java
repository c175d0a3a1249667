package org.tollgate.prepaid.reservation;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Rows sent as one array per column and read back with {@code unnest}, so that a batch's rows go
 * in one statement. Money and times travel as text and are cast by PostgreSQL: exact, whatever
 * the driver does with arrays of BigDecimal or Instant.
 */
final class Unnest {

    enum Type {
        BIGINT("int8", "bigint"), INT("int4", "int"), TEXT("text", "text"), BOOL("bool", "boolean"),
        NUMERIC("text", "numeric"), TIMESTAMPTZ("text", "timestamptz");

        final String element;
        final String sql;

        Type(String element, String sql) {
            this.element = element;
            this.sql = sql;
        }
    }

    private final Type[] types;
    private final List<Object[]> rows = new ArrayList<>();

    Unnest(Type... types) {
        this.types = types;
    }

    void add(Object... row) {
        if (row.length != types.length) {
            throw new IllegalArgumentException(types.length + " columns, not " + row.length);
        }
        rows.add(row);
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    int size() {
        return rows.size();
    }

    /** {@code unnest(?::bigint[], ?::text[], …)} for a FROM clause. */
    String call() {
        StringJoiner j = new StringJoiner(", ", "unnest(", ")");
        for (Type t : types) {
            j.add("?::" + t.sql + "[]");
        }
        return j.toString();
    }

    /** Binds the columns from parameter {@code first}; returns the next free parameter index. */
    int bind(Connection c, PreparedStatement ps, int first) throws SQLException {
        for (int col = 0; col < types.length; col++) {
            Object[] values = switch (types[col]) {
                case BIGINT -> new Long[rows.size()];
                case INT -> new Integer[rows.size()];
                case BOOL -> new Boolean[rows.size()];
                default -> new String[rows.size()];
            };
            for (int r = 0; r < rows.size(); r++) {
                Object v = rows.get(r)[col];
                values[r] = v instanceof BigDecimal d ? d.toPlainString() : v instanceof Instant i ? i.toString() : v;
            }
            Array array = c.createArrayOf(types[col].element, values);
            ps.setArray(first + col, array);
        }
        return first + types.length;
    }
}
