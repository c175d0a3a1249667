package org.tollgate.app.cli;

import java.util.concurrent.CountDownLatch;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.tollgate.app.TollgateMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code tollgate run}: start the platform and serve until stopped (SIGTERM / Ctrl-C). */
@Command(name = "run", description = "Start the platform (roles from tollgate.roles) and serve until stopped.")
public class RunCommand implements Runnable {

    @ParentCommand
    TollgateMain main;

    @Override
    public void run() {
        ConfigurableApplicationContext ctx = main.serverContext();
        CountDownLatch closed = new CountDownLatch(1);
        ctx.addApplicationListener(e -> {
            if (e instanceof ContextClosedEvent) {
                closed.countDown();
            }
        });
        ctx.registerShutdownHook();
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
