package org.tollgate.diameter;

import org.jdiameter.client.api.IMessage;

/** One application's requests. Answers the request (now or later) through {@link Answers#send}. */
public interface RequestHandler {

    /** The answer to send right away, or null when the handler answers later itself. */
    IMessage handle(IMessage request);
}
