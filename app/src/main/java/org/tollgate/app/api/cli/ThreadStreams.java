package org.tollgate.app.api.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * System.out, System.err and System.in per thread: a command sent over the admin API prints to
 * (and reads from) its caller, while the server's other threads keep the process's streams.
 * Installed once; a thread without its own streams uses the original ones.
 */
final class ThreadStreams {

    private static final ThreadLocal<PrintStream> OUT = new ThreadLocal<>();
    private static final ThreadLocal<PrintStream> ERR = new ThreadLocal<>();
    private static final ThreadLocal<InputStream> IN = new ThreadLocal<>();
    private static boolean installed;

    private ThreadStreams() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        System.setOut(new PrintStream(new Dispatch(OUT, out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Dispatch(ERR, err), true, StandardCharsets.UTF_8));
        System.setIn(new InputStream() {
            @Override
            public int read() throws IOException {
                return current().read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return current().read(b, off, len);
            }

            @Override
            public int available() throws IOException {
                return current().available();
            }

            private InputStream current() {
                InputStream own = IN.get();
                return own != null ? own : in;
            }
        });
        installed = true;
    }

    /** Runs {@code work} with this thread's streams set to the ones given. */
    static <T> T with(PrintStream out, PrintStream err, InputStream in, java.util.concurrent.Callable<T> work) throws Exception {
        OUT.set(out);
        ERR.set(err);
        IN.set(in);
        try {
            return work.call();
        } finally {
            out.flush();
            err.flush();
            OUT.remove();
            ERR.remove();
            IN.remove();
        }
    }

    private static final class Dispatch extends OutputStream {
        private final ThreadLocal<PrintStream> own;
        private final PrintStream fallback;

        Dispatch(ThreadLocal<PrintStream> own, PrintStream fallback) {
            this.own = own;
            this.fallback = fallback;
        }

        private PrintStream current() {
            PrintStream s = own.get();
            return s != null ? s : fallback;
        }

        @Override
        public void write(int b) {
            current().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            current().write(b, off, len);
        }

        @Override
        public void flush() {
            current().flush();
        }
    }
}
