package org.tollgate.proxy.sip;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.SocketChannel;

import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.NioMessageProcessorFactory;
import gov.nist.javax.sip.stack.NioTcpMessageChannel;
import gov.nist.javax.sip.stack.NioTcpMessageProcessor;
import gov.nist.javax.sip.stack.SIPTransactionStack;

/**
 * The RI's NIO processors, with accepted TCP connections read through {@link TcpStreamGuard}:
 * the RI's stream parser allocates a message body of whatever Content-Length says before
 * checking anything, so one request with {@code Content-Length: 2147483647} killed the TCP
 * selector thread (OutOfMemoryError) and with it every TCP connection.
 */
public final class GuardedTcpProcessorFactory extends NioMessageProcessorFactory {

    @Override
    public MessageProcessor createMessageProcessor(SIPTransactionStack stack, InetAddress address, int port,
                                                   String transport) throws IOException {
        if ("TCP".equalsIgnoreCase(transport)) {
            return new Processor(address, stack, port);
        }
        return super.createMessageProcessor(stack, address, port, transport);
    }

    private static final class Processor extends NioTcpMessageProcessor {
        private final String stackName;
        private final int maxMessageSize;

        Processor(InetAddress address, SIPTransactionStack stack, int port) {
            super(address, stack, port);
            this.stackName = ((javax.sip.SipStack) stack).getStackName();
            this.maxMessageSize = stack.getMaxMessageSize();
        }

        @Override
        public NioTcpMessageChannel createMessageChannel(NioTcpMessageProcessor processor, SocketChannel client)
                throws IOException {
            // the RI's own method registers and completes a channel it finds registered: register ours first
            if (nioHandler.getMessageChannel(client) == null) {
                nioHandler.putMessageChannel(client, new Channel(processor, client, new TcpStreamGuard(maxMessageSize),
                        stackName));
            }
            return super.createMessageChannel(processor, client);
        }
    }

    private static final class Channel extends NioTcpMessageChannel {
        private final TcpStreamGuard guard;
        private final String stackName;
        private final String source;
        private boolean refused;

        Channel(NioTcpMessageProcessor processor, SocketChannel client, TcpStreamGuard guard, String stackName)
                throws IOException {
            super(processor, client);
            this.guard = guard;
            this.stackName = stackName;
            InetAddress peer = client.socket().getInetAddress();
            this.source = peer == null ? null : peer.getHostAddress();
        }

        @Override
        protected void addBytes(byte[] bytes) throws Exception {
            if (refused) {
                return;
            }
            // banned sources and floods are the valve's: it sees each parsed message
            String why = guard.check(bytes);
            if (why == null) {
                try {
                    super.addBytes(bytes);
                    return;
                } catch (Exception | StackOverflowError e) {
                    why = "unreadable stream: " + e.getMessage();
                } catch (OutOfMemoryError e) {
                    // should the guard and the parser ever disagree on framing: a failed allocation
                    // of one body must cost this stream, not the selector thread every stream shares
                    why = "unreadable stream: body too large to allocate";
                }
            }
            SourceGate.Registry.of(stackName).unparsable(source + "/tcp", why);
            refuse();
        }

        /** A stream that cannot be read as SIP any more has no message boundary left: close it. */
        private void refuse() {
            refused = true;
            close();
        }
    }
}
