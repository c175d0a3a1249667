package org.tollgate.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server that hangs instead of failing: its postmaster and every process under it
 * stopped with SIGSTOP, so connections stay open and nothing answers (a paused VM, a stuck
 * storage layer). {@link #close()} resumes them with SIGCONT; use it in try-with-resources so
 * a failing test never leaves the database frozen.
 */
public final class FrozenDatabase implements AutoCloseable {

    private final List<Long> pids;
    private boolean thawed;

    private FrozenDatabase(List<Long> pids) {
        this.pids = pids;
    }

    /** Freezes the server whose data directory is {@code dataDir} (its postmaster.pid names it). */
    public static FrozenDatabase freeze(Path dataDir) {
        long postmaster = postmasterPid(dataDir);
        ProcessHandle pm = ProcessHandle.of(postmaster)
                .orElseThrow(() -> new IllegalStateException("no postmaster with pid " + postmaster));
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster);
        // the postmaster first, so it forks no new backend while its children are stopped
        signal("STOP", List.of(postmaster));
        FrozenDatabase frozen = new FrozenDatabase(pids);
        try {
            List<Long> children = pm.descendants().map(ProcessHandle::pid).toList();
            signal("STOP", children);
            pids.addAll(children);
        } catch (RuntimeException e) {
            frozen.close();
            throw e;
        }
        return frozen;
    }

    /** Resumes every frozen process; idempotent. */
    @Override
    public void close() {
        if (!thawed) {
            thawed = true;
            signal("CONT", pids);
        }
    }

    private static long postmasterPid(Path dataDir) {
        try {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("no running PostgreSQL in " + dataDir, e);
        }
    }

    private static void signal(String signal, List<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(p -> cmd.add(Long.toString(p)));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: "
                        + new String(p.getInputStream().readAllBytes()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
