package org.tollgate.app.demo;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.SipListener;
import javax.sip.TransactionTerminatedEvent;

/**
 * A SipListener for the demo's phones and gateway: they act on requests, responses and timeouts;
 * the stack's transport and clean-up events need nothing from them.
 */
interface EndpointListener extends SipListener {

    @Override
    default void processIOException(IOExceptionEvent ev) {
    }

    @Override
    default void processTransactionTerminated(TransactionTerminatedEvent ev) {
    }

    @Override
    default void processDialogTerminated(DialogTerminatedEvent ev) {
    }
}
