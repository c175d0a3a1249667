package org.tollgate.proxy.aaa;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounting records no RADIUS server took, on disk in arrival order until they can be replayed.
 * Segment files {@code acct-<seq>.spool} hold frames [length][record][CRC32]; every append is
 * fsynced before it returns. A frame cut short by a crash ends its segment's readable part, so
 * segments found at start are never appended to again. Replay reads the oldest segment (sealing
 * it first if it is the one being written) and deletes it once every record in it was answered.
 */
final class AccountingSpool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AccountingSpool.class);
    private static final String PREFIX = "acct-";
    private static final String SUFFIX = ".spool";
    private static final int VERSION = 1;

    /** A sealed segment and the records readable in it. */
    record Segment(Path file, List<AccountingRecord> records) {
    }

    private final Path dir;
    private final int recordsPerSegment;
    private final Deque<Path> segments = new ArrayDeque<>();
    private final AtomicLong depth = new AtomicLong();
    private long nextSeq;
    private FileChannel active;
    private Path activeFile;
    private int activeRecords;

    AccountingSpool(Path dir, int recordsPerSegment) {
        this.dir = dir;
        this.recordsPerSegment = recordsPerSegment;
        try {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(AccountingSpool::isSegment).sorted().forEach(segments::add);
            }
            long seq = 0;
            for (Path p : segments) {
                depth.addAndGet(read(p).size());
                seq = Math.max(seq, seqOf(p));
            }
            nextSeq = seq + 1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open accounting spool " + dir + ": " + e.getMessage(), e);
        }
        if (!segments.isEmpty()) {
            log.info("accounting spool {} holds {} record(s) in {} segment(s) to replay", dir, depth.get(), segments.size());
        }
    }

    /** Records waiting (in every segment, including one being replayed). */
    long depth() {
        return depth.get();
    }

    synchronized boolean isEmpty() {
        return segments.isEmpty();
    }

    /** Appends in order and fsyncs; when this returns the records survive a crash. */
    synchronized void append(List<AccountingRecord> records) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        ByteArrayOutputStream frames = new ByteArrayOutputStream(records.size() * 256);
        int i = 0;
        try {
            for (AccountingRecord r : records) {
                if (active == null) {
                    open();
                }
                frames.writeBytes(frame(r));
                activeRecords++;
                i++;
                if (activeRecords >= recordsPerSegment || i == records.size()) {
                    write(frames.toByteArray());
                    frames.reset();
                    if (activeRecords >= recordsPerSegment) {
                        seal();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // what was half written stays a torn tail nobody appends after; the caller retries the batch
            try {
                seal();
            } catch (IOException ignored) {
                // already failing
            }
            throw e;
        }
        depth.addAndGet(records.size());
    }

    /** The oldest segment, sealed, or null when the spool is empty. */
    synchronized Segment oldest() throws IOException {
        Path first = segments.peekFirst();
        if (first == null) {
            return null;
        }
        if (first.equals(activeFile)) {
            seal();
        }
        return new Segment(first, read(first));
    }

    /** Removes a replayed segment. */
    synchronized void delete(Segment segment) throws IOException {
        Files.deleteIfExists(segment.file());
        if (segments.remove(segment.file())) {
            depth.addAndGet(-segment.records().size());
        }
    }

    @Override
    public synchronized void close() {
        try {
            seal();
        } catch (IOException e) {
            log.warn("closing accounting spool segment {}: {}", activeFile, e.toString());
        }
    }

    private void open() throws IOException {
        activeFile = dir.resolve(String.format("%s%016d%s", PREFIX, nextSeq++, SUFFIX));
        active = FileChannel.open(activeFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        activeRecords = 0;
        segments.addLast(activeFile);
        syncDirectory(); // the new name must survive a crash too
    }

    private void write(byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            active.write(buf);
        }
        active.force(false);
    }

    private void seal() throws IOException {
        if (active != null) {
            FileChannel c = active;
            active = null;
            activeFile = null;
            c.close();
        }
    }

    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can open a directory; the file's own fsync still holds its data
        }
    }

    static byte[] frame(AccountingRecord r) {
        try {
            ByteArrayOutputStream payload = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(payload);
            out.writeByte(VERSION);
            out.writeUTF(r.statusType());
            out.writeLong(r.eventTime().getEpochSecond());
            out.writeInt(r.eventTime().getNano());
            out.writeShort(r.attributes().size());
            for (AccountingRecord.Attribute a : r.attributes()) {
                out.writeUTF(a.name());
                out.writeBoolean(a.value() != null);
                out.writeUTF(a.value() == null ? "" : a.value());
            }
            byte[] p = payload.toByteArray();
            CRC32 crc = new CRC32();
            crc.update(p);
            return ByteBuffer.allocate(p.length + 8).putInt(p.length).put(p).putInt((int) crc.getValue()).array();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory
        }
    }

    /** Every whole frame of a segment; a torn or corrupt frame ends it (reported). */
    static List<AccountingRecord> read(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file));
        List<AccountingRecord> out = new ArrayList<>();
        while (buf.remaining() >= 4) {
            int start = buf.position();
            int len = buf.getInt();
            if (len <= 0 || len > buf.remaining() - 4) {
                buf.position(start);
                break;
            }
            byte[] p = new byte[len];
            buf.get(p);
            CRC32 crc = new CRC32();
            crc.update(p);
            if (buf.getInt() != (int) crc.getValue()) {
                buf.position(start);
                break;
            }
            out.add(decode(p));
        }
        if (buf.hasRemaining()) {
            log.warn("accounting spool {}: {} trailing byte(s) are not a whole record (cut short by a crash?); ignored",
                    file, buf.remaining());
        }
        return out;
    }

    private static AccountingRecord decode(byte[] p) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(p));
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new IOException("spool record version " + version + " is not " + VERSION);
        }
        String status = in.readUTF();
        Instant time = Instant.ofEpochSecond(in.readLong(), in.readInt());
        int n = in.readUnsignedShort();
        List<AccountingRecord.Attribute> attrs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            boolean present = in.readBoolean();
            String value = in.readUTF();
            attrs.add(new AccountingRecord.Attribute(name, present ? value : null));
        }
        return new AccountingRecord(status, time, attrs);
    }

    private static boolean isSegment(Path p) {
        String n = p.getFileName().toString();
        return n.startsWith(PREFIX) && n.endsWith(SUFFIX) && seqOf(p) >= 0;
    }

    private static long seqOf(Path p) {
        String n = p.getFileName().toString();
        try {
            return Long.parseLong(n.substring(PREFIX.length(), n.length() - SUFFIX.length()));
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
