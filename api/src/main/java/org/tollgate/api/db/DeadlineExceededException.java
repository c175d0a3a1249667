package org.tollgate.api.db;

import java.sql.SQLTimeoutException;

/**
 * The database did not finish a unit of work within its {@link JdbcDeadline}. If the work was
 * committing, it may have committed: the outcome is unknown.
 */
public class DeadlineExceededException extends SQLTimeoutException {

    /** SQL/CLI "timeout expired": not a PostgreSQL state, so never mistaken for one. */
    public static final String SQL_STATE = "HYT00";

    public DeadlineExceededException(String message, Throwable cause) {
        super(message, SQL_STATE, cause);
    }
}
