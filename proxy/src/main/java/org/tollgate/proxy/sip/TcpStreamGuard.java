package org.tollgate.proxy.sip;

import java.nio.charset.StandardCharsets;

/**
 * Follows a SIP stream's framing as the RI's stream parser will (header lines up to an empty
 * line, then Content-Length bytes of body) and says when a message's Content-Length is not a
 * number the parser can use within the size limit, or a header line grows without end.
 */
final class TcpStreamGuard {

    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);

    private final int maxMessageSize;
    private final byte[] line;
    private int lineLength;
    private boolean lineTooLong;
    private long contentLength;
    private long bodyLeft;

    TcpStreamGuard(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
        this.line = new byte[64];
    }

    /** Null when the bytes may go to the parser, else why the stream must be refused. */
    String check(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bodyLeft > 0) {
                long skip = Math.min(bodyLeft, bytes.length - i);
                bodyLeft -= skip;
                i += (int) skip - 1;
                continue;
            }
            byte b = bytes[i];
            if (b == '\n') {
                String why = endOfLine();
                if (why != null) {
                    return why;
                }
                continue;
            }
            if (lineLength < line.length) {
                line[lineLength] = b;
            } else {
                lineTooLong = true;
            }
            lineLength++;
            if (lineLength > maxMessageSize) {
                return "header line longer than " + maxMessageSize + " bytes";
            }
        }
        return null;
    }

    private String endOfLine() {
        int n = Math.min(lineLength, line.length);
        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        String why = null;
        if (lineLength <= 1 || n == 0) {
            // the empty line ends the headers; the body follows
            bodyLeft = contentLength;
            contentLength = 0;
        } else if (startsWithContentLength(n)) {
            if (lineTooLong) {
                why = "Content-Length too long";
            } else {
                String v = new String(line, CONTENT_LENGTH.length, n - CONTENT_LENGTH.length, StandardCharsets.ISO_8859_1)
                        .trim();
                v = v.startsWith(":") ? v.substring(1).trim() : v;
                try {
                    contentLength = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    contentLength = -1;
                }
                if (contentLength < 0 || contentLength > maxMessageSize) {
                    why = "Content-Length " + v + " (limit " + maxMessageSize + ")";
                }
            }
        }
        lineLength = 0;
        lineTooLong = false;
        return why;
    }

    private boolean startsWithContentLength(int n) {
        if (n < CONTENT_LENGTH.length) {
            return false;
        }
        for (int i = 0; i < CONTENT_LENGTH.length; i++) {
            if (Character.toLowerCase((char) line[i]) != CONTENT_LENGTH[i]) {
                return false;
            }
        }
        return true;
    }
}
