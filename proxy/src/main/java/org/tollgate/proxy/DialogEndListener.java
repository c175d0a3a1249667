package org.tollgate.proxy;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.api.db.ChannelListener;
import org.tollgate.proxy.dialog.Dialog;
import org.tollgate.proxy.dialog.DialogRegistry;
import org.tollgate.proxy.dialog.JdbcDialogEnds;

/**
 * Ends the calls an operator asks to end ({@code tollgate dialogs end}, the admin API), when this
 * proxy holds their dialog: claims the request, sends BYE to both sides and accounts the Stop with
 * Admin-Reset; a media relay's teardown (asked for by the admin API) ends the call as a media
 * timeout. Told by NOTIFY; on every (re)connection it looks at what is still open.
 */
final class DialogEndListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DialogEndListener.class);
    /** Longer than any asker waits ({@code dialogs end --wait} is at most a minute). */
    private static final Duration MAX_AGE = Duration.ofMinutes(2);

    private final JdbcDialogEnds ends;
    private final DialogRegistry dialogs;
    private final CallLifecycle calls;
    private final String me;
    private final ChannelListener channel;

    private final MediaWatch media;

    /** {@code media}: where a media relay's request goes (null without a relay). */
    DialogEndListener(DataSource dataSource, DialogRegistry dialogs, CallLifecycle calls, MediaWatch media, String me) {
        this.ends = new JdbcDialogEnds(dataSource);
        this.media = media;
        this.dialogs = dialogs;
        this.calls = calls;
        this.me = me;
        this.channel = new ChannelListener(dataSource, "tollgate_dialog_end", this::serve, payloads -> serve());
    }

    private void serve() {
        for (JdbcDialogEnds.Request r : ends.open(MAX_AGE)) {
            List<Dialog> held = dialogs.byCallId(r.callId());
            // not here: another proxy's call, or none at all (the asker closes it NOT_FOUND)
            if (held.isEmpty() || !ends.claim(r.id(), me)) {
                continue;
            }
            if (JdbcDialogEnds.MEDIA_RELAY.equals(r.requestedBy()) && media != null) {
                media.relayClosed(r.callId());
            } else {
                held.forEach(calls::endByOperator);
                log.info("call {} ended by an operator (request {})", r.callId(), r.id());
            }
        }
    }

    @Override
    public void close() {
        channel.close();
    }
}
