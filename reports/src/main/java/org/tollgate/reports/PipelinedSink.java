package org.tollgate.reports;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Passes a table to another sink on a thread of its own, in batches of rows, so that reading the
 * rows from PostgreSQL and formatting the file run on two cores at once. At most
 * {@code QUEUED * BATCH} rows wait between the two. The file is written in the order the calls
 * were made; a failure on the writing side is thrown back to the reading side at the next batch,
 * which stops the query. {@link #close()} stops the writer when the reading side failed.
 */
final class PipelinedSink implements TableSink, AutoCloseable {

    private static final int BATCH = 256;
    private static final int QUEUED = 16;
    private static final List<Object> END = List.of();

    /** A call other than row(), run in order on the writing thread. */
    private interface Call {
        void on(TableSink sink) throws IOException;
    }

    private final TableSink next;
    private final BlockingQueue<List<Object>> queue = new ArrayBlockingQueue<>(QUEUED);
    private final Thread writer;
    private volatile Throwable failure;
    private List<Object> batch = new ArrayList<>(BATCH);
    private boolean ended;
    private boolean finished;

    PipelinedSink(TableSink next) {
        this.next = next;
        this.writer = new Thread(this::drain, "report-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void start(String title, List<Column> columns) throws IOException {
        call(s -> s.start(title, columns));
    }

    @Override
    public void row(Object[] values) throws IOException {
        batch.add(values);
        if (batch.size() == BATCH) {
            handOver();
        }
    }

    @Override
    public void subtotal(Object[] values) throws IOException {
        call(s -> s.subtotal(values));
    }

    @Override
    public void total(Object[] values) throws IOException {
        call(s -> s.total(values));
    }

    @Override
    public void chart(Chart chart) throws IOException {
        call(s -> s.chart(chart));
    }

    /** Returns once the other sink has finished, or throws what failed there. */
    @Override
    public void finish() throws IOException {
        call(TableSink::finish);
        handOver();
        end();
        rethrow();
        finished = true;
    }

    /** Stops the writing thread if it still runs, and discards the table if it was not finished. */
    @Override
    public void close() throws IOException {
        if (!ended) {
            writer.interrupt();
            ended = true;
            join();
        }
        if (!finished) {
            next.discard();
        }
    }

    private void call(Call c) throws IOException {
        batch.add(c);
    }

    private void handOver() throws IOException {
        rethrow();
        if (batch.isEmpty()) {
            return;
        }
        put(batch);
        batch = new ArrayList<>(BATCH);
    }

    private void end() throws IOException {
        ended = true;
        put(END);
        join();
    }

    private void put(List<Object> items) throws IOException {
        try {
            queue.put(items);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("report writing interrupted");
        }
    }

    private void join() throws IOException {
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("report writing interrupted");
        }
    }

    private void rethrow() throws IOException {
        Throwable t = failure;
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IOException(t);
        }
    }

    /** The writing thread: after a failure it keeps taking batches (and drops them) so the reader never blocks. */
    private void drain() {
        try {
            for (List<Object> items = queue.take(); items != END; items = queue.take()) {
                if (failure != null) {
                    continue;
                }
                try {
                    for (Object item : items) {
                        if (item instanceof Object[] values) {
                            next.row(values);
                        } else {
                            ((Call) item).on(next);
                        }
                    }
                } catch (Throwable t) {
                    failure = t;
                }
            }
        } catch (InterruptedException e) {
            // the reading side gave up: nothing more will come
        }
    }
}
