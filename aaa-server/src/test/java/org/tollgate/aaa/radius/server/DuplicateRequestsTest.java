package org.tollgate.aaa.radius.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class DuplicateRequestsTest {

    private static final InetSocketAddress NAS = new InetSocketAddress("127.0.0.1", 40000);
    private static final byte[] AUTH = new byte[16];

    @Test
    void anExactRetransmissionGetsTheFirstAnswerEvenBeforeItIsReady() {
        DuplicateRequests d = new DuplicateRequests(Duration.ofSeconds(5));
        CompletableFuture<byte[]> first = new CompletableFuture<>();
        assertThat(d.earlier(NAS, 7, AUTH, first)).isNull();
        CompletableFuture<byte[]> again = d.earlier(NAS, 7, AUTH.clone(), new CompletableFuture<>());
        assertThat(again).isSameAs(first);
        first.complete(new byte[] {1, 2});
        assertThat(again.join()).containsExactly(1, 2);
    }

    @Test
    void anotherIdentifierAuthenticatorOrPortIsAnotherRequest() {
        DuplicateRequests d = new DuplicateRequests(Duration.ofSeconds(5));
        assertThat(d.earlier(NAS, 7, AUTH, new CompletableFuture<>())).isNull();
        assertThat(d.earlier(NAS, 8, AUTH, new CompletableFuture<>())).isNull();
        byte[] other = AUTH.clone();
        other[3] = 9;
        assertThat(d.earlier(NAS, 7, other, new CompletableFuture<>())).isNull();
        assertThat(d.earlier(new InetSocketAddress("127.0.0.1", 40001), 7, AUTH, new CompletableFuture<>())).isNull();
        assertThat(d.size()).isEqualTo(4);
    }

    @Test
    void aFailedOrExpiredAnswerIsNotGivenAgain() throws Exception {
        DuplicateRequests d = new DuplicateRequests(Duration.ofMillis(50));
        CompletableFuture<byte[]> failed = new CompletableFuture<>();
        assertThat(d.earlier(NAS, 1, AUTH, failed)).isNull();
        failed.completeExceptionally(new IllegalStateException("no answer"));
        assertThat(d.earlier(NAS, 1, AUTH, new CompletableFuture<>())).isNull();

        CompletableFuture<byte[]> old = CompletableFuture.completedFuture(new byte[] {1});
        assertThat(d.earlier(NAS, 2, AUTH, old)).isNull();
        Thread.sleep(80);
        assertThat(d.earlier(NAS, 2, AUTH, new CompletableFuture<>())).isNull();
    }
}
