package org.tollgate.proxy.sip;

import java.text.ParseException;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPTransactionStack;

/**
 * The RI's own parser, watched: what it cannot parse is reported with its source (the UDP
 * channel tells it; a TCP stream does not) before the stack answers 400 or drops it, and a
 * datagram from a source the gate refuses is not even parsed.
 *
 * <p>It also refuses, as unparsable, a datagram the RI's UDP channel would choke on after
 * parsing: without CSeq or Via, or with a Via it cannot answer to. The channel meets those with
 * a NullPointerException, which it "logs" by first turning its whole 64 KB receive buffer into
 * a 300 KB string (Arrays.toString) even with logging off: a few hundred such datagrams a
 * second kept the UDP threads busy making garbage, and valid requests waited behind them for
 * seconds. As a ParseException they get the channel's cheap 400, or are dropped.
 */
public final class GuardedParserFactory implements MessageParserFactory {

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        return new Watched(new StringMsgParser(), ((javax.sip.SipStack) stack).getStackName());
    }

    private static final class Watched implements MessageParser {
        private final StringMsgParser parser;
        private final String stackName;

        Watched(StringMsgParser parser, String stackName) {
            this.parser = parser;
            this.stackName = stackName;
        }

        @Override
        public SIPMessage parseSIPMessage(byte[] bytes, boolean readBody, boolean strict, ParseExceptionListener listener)
                throws ParseException {
            SourceGate gate = SourceGate.Registry.of(stackName);
            // only a datagram arrives with its channel as listener; the stack's own re-parses have none
            String source = listener instanceof MessageChannel ch ? ch.getPeerAddress() : null;
            if (source != null && !gate.admit(source)) {
                return null; // the UDP channel drops a message that parses to nothing
            }
            try {
                SIPMessage m = parser.parseSIPMessage(bytes, readBody, strict, listener);
                String problem = source == null || m == null ? null : unusable(m);
                if (problem != null) {
                    throw new ParseException(problem, 0);
                }
                return m;
            } catch (ParseException | RuntimeException e) {
                gate.unparsable(source == null ? null : source + "/udp", e.getMessage());
                throw e instanceof ParseException p ? p : new ParseException(String.valueOf(e.getMessage()), 0);
            }
        }
    }

    /** What in a parsed datagram the UDP channel cannot cope with, or null. */
    static String unusable(SIPMessage m) {
        Via via = m.getTopmostVia();
        if (via == null) {
            return "no Via";
        }
        if (m.getCSeq() == null) {
            return "no CSeq";
        }
        if (m.getFrom() == null || m.getTo() == null || m.getCallId() == null) {
            return "no From, To or Call-ID";
        }
        if (via.getHost() == null || via.getPort() > 65535) {
            return "Via without a usable host and port";
        }
        String rport = via.getParameter(Via.RPORT);
        if (rport != null && !rport.isEmpty() && (rport.length() > 5 || !rport.chars().allMatch(Character::isDigit))) {
            return "Via rport not a number";
        }
        return null;
    }
}
