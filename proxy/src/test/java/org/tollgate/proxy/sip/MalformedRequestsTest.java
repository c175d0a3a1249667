package org.tollgate.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class MalformedRequestsTest {

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    final Logger logger = (Logger) LoggerFactory.getLogger(MalformedRequests.class);

    @BeforeEach
    void watch() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void unwatch() {
        logger.detachAppender(lines);
    }

    @Test
    void everyOneIsCountedButTheLogGetsOneLineAnIntervalWithoutStackTrace() throws Exception {
        MalformedRequests m = new MalformedRequests(meters, 200, TimeUnit.MILLISECONDS);
        for (int i = 0; i < 1000; i++) {
            m.unparsable("192.0.2.1/udp", "bad CSeq");
        }
        m.refused("192.0.2.2/tcp", "Missing a required header : Contact");
        assertThat(meters.get("tollgate_proxy_malformed").tag("stage", "parse").counter().count()).isEqualTo(1000);
        assertThat(meters.get("tollgate_proxy_malformed").tag("stage", "request").counter().count()).isEqualTo(1);
        assertThat(lines.list).hasSize(1);
        Thread.sleep(250);
        m.unparsable(null, "line\r\nInjected: yes");
        assertThat(lines.list).hasSize(2);
        String second = lines.list.get(1).getFormattedMessage();
        assertThat(second).contains("a stream", "(and 1000 more since the last line)").doesNotContain("\r", "\n");
        assertThat(lines.list).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
    }
}
