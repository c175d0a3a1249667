package org.tollgate.app.demo;

import java.util.concurrent.CompletableFuture;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;

/**
 * One call a {@link SipPhone} placed: what the caller has seen of it so far. The futures
 * complete from the SIP stack's thread as responses arrive.
 */
final class PhoneCall {

    final String callId;
    final String number;
    /** A 180 or 183 arrived. */
    final CompletableFuture<Void> ringing = new CompletableFuture<>();
    /** The INVITE's final status code (after the digest challenge). */
    final CompletableFuture<Integer> answer = new CompletableFuture<>();
    /** The call ended: the status code of our BYE, or 200 for a BYE we received. */
    final CompletableFuture<Integer> ended = new CompletableFuture<>();
    volatile ClientTransaction invite;
    volatile Dialog dialog;
    volatile boolean challenged;
    /** Where the answer's SDP says to send media ("host", port), once answered with one. */
    volatile java.net.InetSocketAddress remoteMedia;

    PhoneCall(String callId, String number) {
        this.callId = callId;
        this.number = number;
    }
}
