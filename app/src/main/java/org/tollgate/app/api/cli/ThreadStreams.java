package org.tollgate.app.api.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * System.out, System.err and System.in per thread: a command sent over the admin API prints to
 * (and reads from) its caller, while the server's other threads, and its console log, keep the
 * process's streams. Installed once; a thread without its own streams uses the original ones.
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
        System.setOut(new ThreadPrintStream(OUT, out));
        System.setErr(new ThreadPrintStream(ERR, err));
        consoleLogTo(out);
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

    // the server's console log keeps going to the process's stdout, not to a command's caller
    private static void consoleLogTo(PrintStream out) {
        if (!(org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback)) {
            return;
        }
        for (ch.qos.logback.classic.Logger logger : logback.getLoggerList()) {
            for (var it = logger.iteratorForAppenders(); it.hasNext(); ) {
                if (it.next() instanceof ch.qos.logback.core.ConsoleAppender<?> console
                        && "System.out".equals(console.getTarget())) {
                    console.setOutputStream(new OutputStream() {
                        @Override
                        public void write(int b) {
                            out.write(b);
                        }

                        @Override
                        public void write(byte[] b, int off, int len) {
                            out.write(b, off, len);
                        }

                        @Override
                        public void flush() {
                            out.flush();
                        }
                    });
                }
            }
        }
    }

    /**
     * A PrintStream that hands every call to the thread's own stream (or the process's) without
     * taking a lock of its own: PrintStream's methods lock the stream, and a caller that reads its
     * output slowly must not hold up every other thread that prints.
     */
    private static final class ThreadPrintStream extends PrintStream {
        private final ThreadLocal<PrintStream> own;
        private final PrintStream fallback;

        ThreadPrintStream(ThreadLocal<PrintStream> own, PrintStream fallback) {
            super(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            this.own = own;
            this.fallback = fallback;
        }

        private PrintStream current() {
            PrintStream s = own.get();
            return s != null ? s : fallback;
        }

        @Override public void write(int b) { current().write(b); }
        @Override public void write(byte[] b, int off, int len) { current().write(b, off, len); }
        @Override public void write(byte[] b) throws IOException { current().write(b); }
        @Override public void flush() { current().flush(); }
        @Override public void close() { }
        @Override public boolean checkError() { return current().checkError(); }
        @Override public void print(boolean b) { current().print(b); }
        @Override public void print(char c) { current().print(c); }
        @Override public void print(int i) { current().print(i); }
        @Override public void print(long l) { current().print(l); }
        @Override public void print(float f) { current().print(f); }
        @Override public void print(double d) { current().print(d); }
        @Override public void print(char[] s) { current().print(s); }
        @Override public void print(String s) { current().print(s); }
        @Override public void print(Object o) { current().print(o); }
        @Override public void println() { current().println(); }
        @Override public void println(boolean x) { current().println(x); }
        @Override public void println(char x) { current().println(x); }
        @Override public void println(int x) { current().println(x); }
        @Override public void println(long x) { current().println(x); }
        @Override public void println(float x) { current().println(x); }
        @Override public void println(double x) { current().println(x); }
        @Override public void println(char[] x) { current().println(x); }
        @Override public void println(String x) { current().println(x); }
        @Override public void println(Object x) { current().println(x); }
        @Override public PrintStream printf(String format, Object... args) { return current().printf(format, args); }
        @Override public PrintStream printf(java.util.Locale l, String format, Object... args) { return current().printf(l, format, args); }
        @Override public PrintStream format(String format, Object... args) { return current().format(format, args); }
        @Override public PrintStream format(java.util.Locale l, String format, Object... args) { return current().format(l, format, args); }
        @Override public PrintStream append(CharSequence csq) { return current().append(csq); }
        @Override public PrintStream append(CharSequence csq, int start, int end) { return current().append(csq, start, end); }
        @Override public PrintStream append(char c) { return current().append(c); }
    }
}
