package org.tollgate.proxy.acct;

import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;

import javax.sip.header.Header;
import javax.sip.header.UserAgentHeader;
import javax.sip.message.Request;

import org.tollgate.proxy.ProxySettings.ExtraAttribute;
import org.tollgate.proxy.aaa.AccountingRecord.Attribute;
import org.tollgate.proxy.sip.Headers;
import org.tollgate.proxy.sip.Source;

/**
 * Evaluates {@code Attribute=source} items (the acc module's {@code radius_extra}) on a
 * request. Several header values are joined with commas, as the acc module does; a source
 * with no value is left out.
 */
public final class ExtraAttributes {

    private final List<ExtraAttribute> items;

    public ExtraAttributes(List<String> config) {
        this.items = config.stream().map(ExtraAttribute::parse).toList();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    public List<Attribute> evaluate(Request req, Source src) {
        if (items.isEmpty()) {
            return List.of();
        }
        List<Attribute> out = new ArrayList<>(items.size());
        for (ExtraAttribute item : items) {
            String v = value(item.source(), req, src);
            if (v != null && !v.isEmpty()) {
                out.add(new Attribute(item.attribute(), v));
            }
        }
        return out;
    }

    static String value(String source, Request req, Source src) {
        return switch (source) {
            case "$si" -> src.ip();
            case "$sp" -> Integer.toString(src.port());
            case "$ru" -> req.getRequestURI().toString();
            case "$rU" -> Headers.user(req.getRequestURI());
            case "$rd" -> Headers.host(req.getRequestURI());
            case "$fu" -> Headers.from(req).getAddress().getURI().toString();
            case "$fU" -> Headers.user(Headers.from(req).getAddress().getURI());
            case "$fd" -> Headers.host(Headers.from(req).getAddress().getURI());
            case "$tu" -> Headers.to(req).getAddress().getURI().toString();
            case "$tU" -> Headers.user(Headers.to(req).getAddress().getURI());
            case "$td" -> Headers.host(Headers.to(req).getAddress().getURI());
            case "$ci" -> Headers.callId(req);
            case "$ua" -> Headers.value(req, UserAgentHeader.NAME);
            default -> header(req, source.substring(5, source.length() - 1));
        };
    }

    private static String header(Request req, String name) {
        ListIterator<Header> it = req.getHeaders(name);
        StringBuilder b = new StringBuilder();
        while (it.hasNext()) {
            String s = it.next().toString();
            int colon = s.indexOf(':');
            if (b.length() > 0) {
                b.append(',');
            }
            b.append((colon < 0 ? s : s.substring(colon + 1)).trim());
        }
        return b.length() == 0 ? null : b.toString();
    }
}
