package org.tollgate.aaa.radius.acct;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.tollgate.api.AccountingEvent;

/**
 * The local durable spool used while PostgreSQL cannot take accounting: events are appended
 * as JSON lines to numbered segment files and fsynced before the NAS is answered. Segments are
 * replayed to the database oldest first and deleted only once committed.
 *
 * <p>Not thread-safe on its own; {@link GroupCommitAccountingSink} serializes access.
 */
public class AccountingJournal implements AutoCloseable {

    private static final String PREFIX = "acct-";
    private static final String SUFFIX = ".journal";

    private final Path dir;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private FileChannel current;
    private Path currentPath;
    private long nextSegment;

    public AccountingJournal(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        List<Path> existing = segments();
        nextSegment = existing.isEmpty() ? 1 : number(existing.get(existing.size() - 1)) + 1;
    }

    /** Appends and fsyncs. When this returns the events survive a crash. */
    public void append(List<AccountingEvent> events) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (AccountingEvent e : events) {
            lines.append(json.writeValueAsString(e)).append('\n');
        }
        if (current == null) {
            currentPath = dir.resolve(String.format("%s%020d%s", PREFIX, nextSegment++, SUFFIX));
            current = FileChannel.open(currentPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            // the new file's directory entry must survive a crash too
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        }
        long start = current.size();
        try {
            ByteBuffer buf = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                current.write(buf);
            }
            current.force(false);
        } catch (IOException e) {
            // nothing of this batch was acknowledged: cut it off and start the next one cleanly
            try {
                current.truncate(start);
            } catch (IOException ignored) {
                // the segment then ends in a torn line, which read() skips
            }
            rotate();
            throw e;
        }
    }

    /** Closes the segment being written so it can be replayed; the next append opens a new one. */
    public void rotate() throws IOException {
        if (current != null) {
            current.close();
            current = null;
            currentPath = null;
        }
    }

    /** Closed segments, oldest first. */
    public List<Path> closedSegments() throws IOException {
        List<Path> all = segments();
        if (currentPath != null) {
            all.remove(currentPath);
        }
        return all;
    }

    /** Bytes in all segments, the one being written included. */
    public long bytes() throws IOException {
        long n = 0;
        for (Path p : segments()) {
            n += p.equals(currentPath) ? current.size() : Files.size(p);
        }
        return n;
    }

    public boolean isEmpty() throws IOException {
        return segments().isEmpty();
    }

    public List<AccountingEvent> read(Path segment) throws IOException {
        List<AccountingEvent> events = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(segment, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    events.add(json.readValue(line, AccountingEvent.class));
                } catch (IOException e) {
                    // a torn last line from a crash mid-append was never acknowledged
                    if (r.readLine() != null) {
                        throw e;
                    }
                }
            }
        }
        return events;
    }

    public void delete(Path segment) throws IOException {
        Files.deleteIfExists(segment);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.filter(p -> p.getFileName().toString().startsWith(PREFIX)
                            && p.getFileName().toString().endsWith(SUFFIX))
                    .sorted()
                    .toList());
        }
    }

    private static long number(Path p) {
        String n = p.getFileName().toString();
        return Long.parseLong(n.substring(PREFIX.length(), n.length() - SUFFIX.length()));
    }

    @Override
    public void close() throws IOException {
        rotate();
    }
}
