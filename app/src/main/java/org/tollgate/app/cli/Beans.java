package org.tollgate.app.cli;

/**
 * What a command works with: the beans of a data-only context it started (closed with it), or of
 * the running server it was sent to (left running).
 */
public interface Beans extends AutoCloseable {

    <T> T getBean(Class<T> type);

    @Override
    void close();
}
