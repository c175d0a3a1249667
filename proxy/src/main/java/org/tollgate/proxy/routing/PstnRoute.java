package org.tollgate.proxy.routing;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.tollgate.proxy.media.MediaPolicy;

/**
 * Numbers matching {@code pattern} (a regular expression on the Request-URI user part, e.g.
 * {@code 00[1-9][0-9]+}) or starting with {@code prefix} go to {@code gateways}
 * ("host:port[;transport=tcp]"), tried in order: the next one on 408, 5xx or no answer.
 * With {@code strip} digits removed and {@code prepend} added in front; {@code media}: whether its
 * calls go through the media relay (null: the proxy's policy).
 */
public record PstnRoute(String prefix, String pattern, List<String> gateways, int strip, String prepend,
                        MediaPolicy media) {

    /** A route whose calls' media follow the proxy's policy. */
    public PstnRoute(String prefix, String pattern, List<String> gateways, int strip, String prepend) {
        this(prefix, pattern, gateways, strip, prepend, null);
    }

    public PstnRoute {
        gateways = List.copyOf(gateways);
        if ((prefix == null || prefix.isEmpty()) == (pattern == null || pattern.isEmpty())) {
            throw new IllegalArgumentException("a PSTN route needs exactly one of prefix or pattern");
        }
        if (gateways.isEmpty()) {
            throw new IllegalArgumentException("PSTN route " + (prefix != null && !prefix.isEmpty() ? prefix : pattern)
                    + " has no gateways");
        }
        if (pattern != null && !pattern.isEmpty()) {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("PSTN route pattern " + pattern + ": " + e.getDescription());
            }
        }
        if (strip < 0) {
            throw new IllegalArgumentException("PSTN route strip must not be negative");
        }
        prepend = prepend == null ? "" : prepend;
    }
}
