package org.tollgate.proxy.testutil;

import java.text.ParseException;

import javax.sip.PeerUnavailableException;
import javax.sip.SipFactory;
import javax.sip.address.AddressFactory;
import javax.sip.address.URI;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;

/** JAIN-SIP RI factories for building messages in tests, no stack or sockets involved. */
public final class Sip {

    public static final AddressFactory ADDRESSES;
    public static final HeaderFactory HEADERS;
    public static final MessageFactory MESSAGES;

    static {
        try {
            SipFactory f = SipFactory.getInstance();
            f.setPathName("gov.nist");
            ADDRESSES = f.createAddressFactory();
            HEADERS = f.createHeaderFactory();
            MESSAGES = f.createMessageFactory();
        } catch (PeerUnavailableException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Sip() {
    }

    /** Parses a request written with "\n" line ends (turned into CRLF here). */
    public static Request request(String text) {
        try {
            String crlf = text.replace("\r\n", "\n").replace("\n", "\r\n");
            if (!crlf.endsWith("\r\n\r\n")) {
                crlf = crlf.endsWith("\r\n") ? crlf + "\r\n" : crlf + "\r\n\r\n";
            }
            return MESSAGES.createRequest(crlf);
        } catch (ParseException e) {
            throw new IllegalArgumentException("bad test request: " + e.getMessage(), e);
        }
    }

    public static URI uri(String text) {
        try {
            return ADDRESSES.createURI(text);
        } catch (ParseException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
