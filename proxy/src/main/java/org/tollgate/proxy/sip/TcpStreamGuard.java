package org.tollgate.proxy.sip;

import java.nio.charset.StandardCharsets;

/**
 * Frames a SIP stream byte for byte as the RI's stream parser (jain-sip-ri 1.3.0-91,
 * {@code NioPipelineParser}) will, and says when the parser would be given a Content-Length it
 * cannot use within the size limit: it allocates the body from that number before checking
 * anything. Framing "roughly like SIP" is not enough: any difference lets a Content-Length line
 * through that the guard took for a body and the parser reads as a header. The parser's rules:
 * <ul>
 * <li>a line ends at LF; a CR inside a line is dropped ({@code C\rontent-Length} is
 *     Content-Length); CRs at the start of a line are set aside (a third one throws): one is
 *     moved to the line's end, two are lost, and a line of CR(s) and LF reads as {@code "\r\n"};
 * <li>only a line reading {@code "\r\n"} ends the headers; a bare LF line is a header line;
 * <li>that line state starts again with every chunk read from the socket, so the guard must
 *     see the very chunks the parser sees; a CR left at a chunk's end joins the next chunk's line;
 * <li>Content-Length is the last line starting {@code content-length} (any case, compact
 *     {@code l:} ignored), value after its 15th character, and it is never reset: a message
 *     without one has the previous message's body length.
 * </ul>
 * Anything the guard cannot read exactly as the parser does (a Content-Length line that is not
 * short ASCII) is refused; refusing only closes the stream.
 */
final class TcpStreamGuard {

    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);
    /** A Content-Length line longer than this is refused rather than read. */
    private static final int KEPT = 64;

    private final int maxMessageSize;

    // the line so far as the parser will hold it: its first KEPT bytes and its length
    private final byte[] line = new byte[KEPT];
    private int lineLength;
    // the parser's message state
    private boolean headerRead;
    private int contentLength;
    private int bodyLeft;
    private boolean inBody;

    TcpStreamGuard(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    /** Null when this chunk, as read from the socket, may go to the parser, else why the stream must be refused. */
    String check(byte[] chunk) {
        // the parser's readLine state, which every chunk and every line starts afresh
        int kept = 0;
        int crs = 0;
        int pieceStart = lineLength;
        for (int i = 0; i < chunk.length; i++) {
            if (inBody) {
                int skip = Math.min(bodyLeft, chunk.length - i);
                bodyLeft -= skip;
                i += skip - 1;
                inBody = bodyLeft > 0;
                continue;
            }
            byte b = chunk[i];
            if (b != '\r') {
                append(b);
                kept++;
            } else if (kept == 0) {
                if (crs == 2) {
                    return "three CRs starting a line";
                }
                crs++;
            }
            if (b == '\n') {
                if (kept == 1 && crs == 2) {
                    return "CR CR LF";
                }
                endPiece(kept, crs, pieceStart, true);
                String why = endOfLine();
                if (why != null) {
                    return why;
                }
                kept = 0;
                crs = 0;
                pieceStart = 0;
            } else if (lineLength > maxMessageSize) {
                return "header line longer than " + maxMessageSize + " bytes";
            }
        }
        if (!inBody) {
            endPiece(kept, crs, pieceStart, false);
        }
        return null;
    }

    /** What readLine returns for the bytes since {@code pieceStart}: its leading CRs moved or lost as the parser does. */
    private void endPiece(int kept, int crs, int pieceStart, boolean lineEnded) {
        if (kept == 1 && crs > 0) {
            // the one byte kept is dropped for the CRs set aside (and the LF, when it was the LF)
            lineLength = pieceStart;
            for (int i = 0; i < crs; i++) {
                append((byte) '\r');
            }
            if (lineEnded) {
                append((byte) '\n');
            }
        } else if (crs == 1) {
            append((byte) '\r');
        }
    }

    private void append(byte b) {
        if (lineLength < KEPT) {
            line[lineLength] = b;
        }
        lineLength++;
    }

    private String endOfLine() {
        int n = lineLength;
        lineLength = 0;
        if (n == 2 && line[0] == '\r' && line[1] == '\n') {
            if (headerRead) {
                // the end of the headers: the body is the last Content-Length read, this message's or not
                headerRead = false;
                bodyLeft = contentLength;
                inBody = bodyLeft > 0;
            }
            return null;
        }
        headerRead = true;
        if (!startsWithContentLength(n)) {
            return null;
        }
        if (n > KEPT) {
            return "Content-Length line longer than " + KEPT + " bytes";
        }
        for (int i = 0; i < n; i++) {
            if (line[i] < 0) {
                return "Content-Length line not ASCII";
            }
        }
        // as the parser reads it: after the 15th character, trimmed, Integer.parseInt
        String value = new String(line, 0, n, StandardCharsets.US_ASCII).substring(CONTENT_LENGTH.length + 1).trim();
        int length;
        try {
            length = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return "Content-Length " + value + " not a number";
        }
        if (length < 0 || length > maxMessageSize) {
            return "Content-Length " + value + " (limit " + maxMessageSize + ")";
        }
        contentLength = length;
        return null;
    }

    private boolean startsWithContentLength(int n) {
        if (n < CONTENT_LENGTH.length) {
            return false;
        }
        for (int i = 0; i < CONTENT_LENGTH.length; i++) {
            byte b = line[i];
            if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != CONTENT_LENGTH[i]) {
                return false;
            }
        }
        return true;
    }

    // the state a test compares with the parser's

    int contentLength() {
        return contentLength;
    }

    boolean inBody() {
        return inBody;
    }

    int bodyLeft() {
        return bodyLeft;
    }

    boolean headerRead() {
        return headerRead;
    }
}
