package org.tollgate.proxy;

import java.util.concurrent.ScheduledExecutorService;

import org.tollgate.proxy.media.MediaRelay;
import org.tollgate.proxy.sip.SipEndpoint;

/** What a {@link ProxiedRequest} forwards with: the proxy's settings, SIP stack, timers and its own pieces of messages. */
record Forwarding(ProxySettings settings, SipEndpoint sip, ScheduledExecutorService timers, ProxyMetrics metrics,
                  Replies replies, ResponseRelay responses, OwnRoutes routes, SessionTimers sessionTimers,
                  PendingInvites pending, MediaRelay media) { }
