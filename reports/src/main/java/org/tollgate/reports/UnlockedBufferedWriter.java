package org.tollgate.reports;

import java.io.IOException;
import java.io.Writer;

/**
 * A buffered Writer for one thread. BufferedWriter takes a lock on every call, and CSV and
 * spreadsheet XML make several calls per cell (tens of millions for a large export).
 */
final class UnlockedBufferedWriter extends Writer {

    private final Writer out;
    private final char[] buffer;
    private int used;

    UnlockedBufferedWriter(Writer out, int size) {
        this.out = out;
        this.buffer = new char[size];
    }

    @Override
    public void write(int c) throws IOException {
        if (used == buffer.length) {
            drain();
        }
        buffer[used++] = (char) c;
    }

    @Override
    public void write(char[] chars, int off, int len) throws IOException {
        if (len > buffer.length - used) {
            drain();
            if (len >= buffer.length) {
                out.write(chars, off, len);
                return;
            }
        }
        System.arraycopy(chars, off, buffer, used, len);
        used += len;
    }

    @Override
    public void write(String s) throws IOException {
        write(s, 0, s.length());
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
        if (len > buffer.length - used) {
            drain();
            if (len >= buffer.length) {
                out.write(s, off, len);
                return;
            }
        }
        s.getChars(off, off + len, buffer, used);
        used += len;
    }

    @Override
    public Writer append(CharSequence s) throws IOException {
        if (s instanceof String str) {
            write(str, 0, str.length());
        } else {
            append(s, 0, s.length());
        }
        return this;
    }

    @Override
    public Writer append(CharSequence s, int start, int end) throws IOException {
        if (s instanceof String str) {
            write(str, start, end - start);
            return this;
        }
        for (int i = start; i < end; i++) {
            write(s.charAt(i));
        }
        return this;
    }

    @Override
    public Writer append(char c) throws IOException {
        write(c);
        return this;
    }

    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        drain();
        out.close();
    }

    private void drain() throws IOException {
        if (used > 0) {
            out.write(buffer, 0, used);
            used = 0;
        }
    }
}
