package org.tollgate.proxy.aaa;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountingSpoolTest {

    @TempDir
    Path dir;

    static AccountingRecord record(int i) {
        return new AccountingRecord("Stop", Instant.ofEpochSecond(1_700_000_000L + i, 500),
                List.of(new AccountingRecord.Attribute("Acct-Session-Id", "call-" + i),
                        new AccountingRecord.Attribute("Sip-Method", "BYE"),
                        new AccountingRecord.Attribute("Sip-From-Tag", null)));
    }

    static List<AccountingRecord> records(int from, int to) {
        return IntStream.range(from, to).mapToObj(AccountingSpoolTest::record).toList();
    }

    @Test
    void appendsInOrderAcrossSegmentsAndDeletesReplayed() throws IOException {
        AccountingSpool spool = new AccountingSpool(dir, 3);
        spool.append(records(0, 4));
        spool.append(records(4, 7));
        assertThat(spool.depth()).isEqualTo(7);
        assertThat(segmentFiles()).hasSize(3);

        List<AccountingRecord> seen = new ArrayList<>();
        for (AccountingSpool.Segment s; (s = spool.oldest()) != null; ) {
            seen.addAll(s.records());
            spool.delete(s);
        }
        assertThat(seen).isEqualTo(records(0, 7));
        assertThat(spool.isEmpty()).isTrue();
        assertThat(spool.depth()).isZero();
        assertThat(segmentFiles()).isEmpty();
    }

    @Test
    void survivesARestartAndNeverAppendsToAnOldSegment() throws IOException {
        AccountingSpool first = new AccountingSpool(dir, 100);
        first.append(records(0, 2));
        // no close(): as after a crash
        AccountingSpool second = new AccountingSpool(dir, 100);
        assertThat(second.depth()).isEqualTo(2);
        second.append(records(2, 3));
        assertThat(segmentFiles()).hasSize(2);
        AccountingSpool.Segment s = second.oldest();
        assertThat(s.records()).isEqualTo(records(0, 2));
        second.delete(s);
        assertThat(second.oldest().records()).isEqualTo(records(2, 3));
    }

    @Test
    void aTornLastRecordIsIgnoredAndTheWholeOnesKept() throws IOException {
        AccountingSpool spool = new AccountingSpool(dir, 100);
        spool.append(records(0, 3));
        spool.close();
        Path file = segmentFiles().get(0);
        byte[] third = AccountingSpool.frame(record(3));
        Files.write(file, java.util.Arrays.copyOf(third, third.length - 5), StandardOpenOption.APPEND);

        AccountingSpool reopened = new AccountingSpool(dir, 100);
        assertThat(reopened.depth()).isEqualTo(3);
        assertThat(reopened.oldest().records()).isEqualTo(records(0, 3));
    }

    @Test
    void aCorruptRecordEndsTheReadablePart() throws IOException {
        AccountingSpool spool = new AccountingSpool(dir, 100);
        spool.append(records(0, 3));
        spool.close();
        Path file = segmentFiles().get(0);
        byte[] bytes = Files.readAllBytes(file);
        int second = AccountingSpool.frame(record(0)).length;
        bytes[second + 10] ^= 0x55; // inside the second record: its CRC no longer matches
        Files.write(file, bytes);
        assertThat(AccountingSpool.read(file)).isEqualTo(records(0, 1));
    }

    @Test
    void sealsTheSegmentBeingWrittenBeforeReplayingIt() throws IOException {
        AccountingSpool spool = new AccountingSpool(dir, 100);
        spool.append(records(0, 1));
        AccountingSpool.Segment s = spool.oldest();
        spool.append(records(1, 2)); // goes to a new segment
        assertThat(Files.size(s.file())).isEqualTo(AccountingSpool.frame(record(0)).length);
        spool.delete(s);
        assertThat(spool.oldest().records()).isEqualTo(records(1, 2));
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
