package org.tollgate.proxy.dialog;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.tollgate.proxy.aaa.AccountingRecord.Attribute;
import org.tollgate.proxy.acct.CallLeg;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Dialogs in the {@code sip_dialog} table, one proxy instance's rows keyed by its host:port. */
public final class JdbcDialogStore implements DialogStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final String proxy;

    public JdbcDialogStore(DataSource dataSource, String proxy) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.proxy = proxy;
    }

    @Override
    public void write(Collection<Dialog> upserts, Collection<Dialog> deletes) {
        tx.executeWithoutResult(s -> {
            if (!upserts.isEmpty()) {
                List<Object[]> rows = new ArrayList<>(upserts.size());
                for (Dialog d : upserts) {
                    CallLeg l = d.leg();
                    rows.add(new Object[] {l.callId(), l.fromTag() == null ? "" : l.fromTag(), d.calleeTag(), proxy,
                            l.fromUri(), l.toUri(), l.userName(), Timestamp.from(d.answeredAt()),
                            Timestamp.from(d.lastRefresh()), (int) d.interval(), Timestamp.from(d.expiresAt()),
                            data(d)});
                }
                jdbc.batchUpdate("""
                        INSERT INTO sip_dialog (call_id, caller_tag, callee_tag, proxy, caller, callee, user_name,
                            answered_at, last_refresh, session_interval, expires_at, data)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                        ON CONFLICT (call_id, caller_tag, callee_tag) DO UPDATE SET
                            proxy = EXCLUDED.proxy, last_refresh = EXCLUDED.last_refresh,
                            session_interval = EXCLUDED.session_interval, expires_at = EXCLUDED.expires_at,
                            data = EXCLUDED.data""", rows);
            }
            if (!deletes.isEmpty()) {
                List<Object[]> keys = new ArrayList<>(deletes.size());
                for (Dialog d : deletes) {
                    keys.add(new Object[] {d.leg().callId(), d.leg().fromTag() == null ? "" : d.leg().fromTag(), d.calleeTag()});
                }
                jdbc.batchUpdate("DELETE FROM sip_dialog WHERE call_id = ? AND caller_tag = ? AND callee_tag = ?", keys);
            }
        });
    }

    @Override
    public List<Dialog> load() {
        return jdbc.query("""
                SELECT call_id, caller_tag, callee_tag, caller, callee, user_name, answered_at, last_refresh,
                       session_interval, expires_at, data::text AS data
                FROM sip_dialog WHERE proxy = ?""", (rs, n) -> {
            Map<String, Object> data = parse(rs.getString("data"));
            CallLeg leg = new CallLeg(rs.getString("call_id"), rs.getString("caller"), rs.getString("caller_tag"),
                    rs.getString("callee"), (String) data.get("cseq"), rs.getString("user_name"),
                    (String) data.get("srcIp"), ((Number) data.get("srcPort")).intValue(), attributes(data.get("extra")),
                    hops(data.get("legs")), null); // its Start is sent; the setup time is not needed again
            return new Dialog(leg, rs.getString("callee_tag"), (String) data.get("from"), (String) data.get("to"),
                    (String) data.get("callerContact"), (String) data.get("calleeContact"),
                    strings(data.get("routeSet")), (String) data.get("translated"),
                    rs.getTimestamp("answered_at").toInstant(), ((Number) data.get("callerCSeq")).longValue(),
                    ((Number) data.get("calleeCSeq")).longValue(), rs.getTimestamp("last_refresh").toInstant(),
                    rs.getInt("session_interval"), rs.getTimestamp("expires_at").toInstant(),
                    data.get("deadline") == null ? null : Instant.parse((String) data.get("deadline")));
        }, proxy);
    }

    private static String data(Dialog d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", d.fromHeader());
        m.put("to", d.toHeader());
        m.put("callerContact", d.callerContact());
        m.put("calleeContact", d.calleeContact());
        m.put("routeSet", d.routeSet());
        m.put("translated", d.translated());
        m.put("callerCSeq", d.callerCSeq());
        m.put("calleeCSeq", d.calleeCSeq());
        if (d.deadline() != null) {
            m.put("deadline", d.deadline().toString());
        }
        m.put("cseq", d.leg().cseq());
        m.put("srcIp", d.leg().srcIp());
        m.put("srcPort", d.leg().srcPort());
        List<List<String>> extra = new ArrayList<>();
        for (Attribute a : d.leg().extra()) {
            extra.add(List.of(a.name(), a.value()));
        }
        m.put("extra", extra);
        List<List<String>> legs = new ArrayList<>();
        for (CallLeg.Hop h : d.leg().legs()) {
            legs.add(List.of(h.src(), h.dst()));
        }
        m.put("legs", legs);
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable sip_dialog data: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object o) {
        return o == null ? List.of() : (List<String>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<CallLeg.Hop> hops(Object o) {
        List<CallLeg.Hop> out = new ArrayList<>();
        if (o != null) {
            for (List<String> pair : (List<List<String>>) o) {
                out.add(new CallLeg.Hop(pair.get(0), pair.get(1)));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Attribute> attributes(Object o) {
        List<Attribute> out = new ArrayList<>();
        if (o != null) {
            for (List<String> pair : (List<List<String>>) o) {
                out.add(new Attribute(pair.get(0), pair.get(1)));
            }
        }
        return out;
    }
}
