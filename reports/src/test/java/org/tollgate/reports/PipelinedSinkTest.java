package org.tollgate.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

class PipelinedSinkTest {

    /** Records every call with the thread it ran on. */
    private static final class Recording implements TableSink {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        int failAtRow = -1;

        private void note(String call) {
            calls.add(call);
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void start(String title, List<Column> columns) {
            note("start " + title);
        }

        @Override
        public void row(Object[] values) throws IOException {
            if ((Integer) values[0] == failAtRow) {
                throw new IOException("disk full");
            }
            note("row " + values[0]);
        }

        @Override
        public void subtotal(Object[] values) {
            note("subtotal " + values[0]);
        }

        @Override
        public void total(Object[] values) {
            note("total " + values[0]);
        }

        @Override
        public void chart(Chart chart) {
            note("chart");
        }

        @Override
        public void finish() {
            note("finish");
        }

        @Override
        public void discard() {
            calls.add("discard");
        }
    }

    @Test
    void everyCallArrivesInOrderOnTheWritingThread() throws Exception {
        Recording out = new Recording();
        List<String> expected = new ArrayList<>();
        try (PipelinedSink sink = new PipelinedSink(out)) {
            sink.start("T", List.of(Column.text("a")));
            expected.add("start T");
            for (int i = 0; i < 10_000; i++) {
                sink.row(new Object[] {i});
                expected.add("row " + i);
                if (i % 1000 == 999) {
                    sink.subtotal(new Object[] {i});
                    expected.add("subtotal " + i);
                }
            }
            sink.total(new Object[] {-1});
            sink.chart(new Chart("c", "s", 0, 1, List.of(), List.of()));
            sink.finish();
            expected.addAll(List.of("total -1", "chart", "finish"));
        }
        assertThat(out.calls).isEqualTo(expected);
        assertThat(out.threads).containsOnly("report-writer");
    }

    @Test
    void aFailureWhileWritingStopsTheReadingSide() {
        Recording out = new Recording();
        out.failAtRow = 300;
        assertThatThrownBy(() -> {
            try (PipelinedSink sink = new PipelinedSink(out)) {
                for (int i = 0; i < 1_000_000; i++) {
                    sink.row(new Object[] {i});
                }
                sink.finish();
            }
        }).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(out.calls).doesNotContain("finish", "row 300").endsWith("discard");
    }

    @Test
    void aFailureWhileReadingStopsTheWritingThread() throws Exception {
        Recording out = new Recording();
        PipelinedSink sink = new PipelinedSink(out);
        for (int i = 0; i < 1_000; i++) {
            sink.row(new Object[] {i});
        }
        sink.close(); // the query failed: no finish()
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("report-writer") && t.isAlive());
        assertThat(out.calls).doesNotContain("finish").endsWith("discard");
    }
}
