package org.tollgate.aaa.radius.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import java.sql.SQLException;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.tollgate.api.db.JdbcDeadline;

/**
 * Users, their groups, check and reply items, and users-file DEFAULT entries. The look-ups an
 * Access-Request waits on can be bounded ({@link #bounded}): a hung database then fails them
 * within the deadline instead of holding the RADIUS threads.
 */
public class JdbcUserRepository {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<AttributeItem>> ITEMS = new TypeReference<>() { };

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final JdbcDeadline deadline;

    public JdbcUserRepository(DataSource dataSource) {
        this(dataSource, null);
    }

    private JdbcUserRepository(DataSource dataSource, JdbcDeadline deadline) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.deadline = deadline;
    }

    /** The same repository with {@link #find} and {@link #defaults} bounded by {@code deadline}. */
    public JdbcUserRepository bounded(JdbcDeadline deadline) {
        return new JdbcUserRepository(dataSource, deadline);
    }

    public Optional<RadiusUser> find(String username, String realm) {
        return within(jdbc -> load(jdbc, "WHERE username = ? AND realm = ?", username, realm)).stream().findFirst();
    }

    /** Whether the database answers at all (within the bound, when bounded). */
    public void ping() {
        within(jdbc -> jdbc.queryForObject("SELECT 1", Integer.class));
    }

    public List<RadiusUser> findAll() {
        return load(jdbc, "");
    }

    /** The work on the deadline's connection, or on the pool when unbounded. */
    private <T> T within(java.util.function.Function<JdbcTemplate, T> work) {
        if (deadline == null) {
            return work.apply(jdbc);
        }
        try {
            return deadline.run(dataSource, c -> work.apply(new JdbcTemplate(new SingleConnectionDataSource(c, true))));
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("user look-up: " + e.getMessage(), e);
        }
    }

    private static List<RadiusUser> load(JdbcTemplate jdbc, String where, Object... args) {
        List<Object[]> rows = jdbc.query("""
                SELECT id, username, realm, status, auth_type, pap_hash, digest_ha1, cleartext_password
                FROM radius_user""" + " " + where + " ORDER BY realm, username",
                (rs, n) -> new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)}, args);
        if (rows.isEmpty()) {
            return List.of();
        }
        Long[] ids = rows.stream().map(r -> (Long) r[0]).toArray(Long[]::new);
        Map<Long, Set<String>> groups = new HashMap<>();
        Map<Long, List<AttributeItem>> checks = new HashMap<>();
        Map<Long, List<AttributeItem>> replies = new HashMap<>();
        jdbc.query("SELECT user_id, group_name FROM radius_user_group WHERE user_id = ANY(?) ORDER BY group_name",
                rs -> {
                    groups.computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(rs.getString(2));
                }, (Object) ids);
        jdbc.query("SELECT user_id, attribute, op, value FROM radius_user_check WHERE user_id = ANY(?) ORDER BY id",
                rs -> {
                    checks.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(AttributeItem.of(rs.getString(2), rs.getString(3), rs.getString(4)));
                }, (Object) ids);
        jdbc.query("""
                SELECT user_id, attribute, op, value, service_type FROM radius_user_reply
                WHERE user_id = ANY(?) ORDER BY user_id, ordinal""",
                rs -> {
                    replies.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new AttributeItem(
                            rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }, (Object) ids);
        List<RadiusUser> users = new ArrayList<>();
        for (Object[] r : rows) {
            long id = (Long) r[0];
            users.add(new RadiusUser(id, (String) r[1], (String) r[2],
                    RadiusUser.Status.valueOf(((String) r[3]).toUpperCase(Locale.ROOT)),
                    r[4] == null ? null : RadiusUser.AuthType.valueOf(((String) r[4]).toUpperCase(Locale.ROOT)),
                    (String) r[5], (String) r[6], (String) r[7],
                    groups.getOrDefault(id, Set.of()), checks.getOrDefault(id, List.of()),
                    replies.getOrDefault(id, List.of())));
        }
        return users;
    }

    /** Adds a new user; fails if name@realm exists. */
    public void add(RadiusUser user) {
        tx.executeWithoutResult(s -> {
            Integer exists = jdbc.queryForObject("SELECT count(*) FROM radius_user WHERE username = ? AND realm = ?",
                    Integer.class, user.username(), user.realm());
            if (exists != null && exists > 0) {
                throw new IllegalArgumentException("user " + user.identity() + " exists already");
            }
            write(user);
        });
    }

    /** Inserts or replaces users and replaces the DEFAULT entries, all in one transaction. */
    public void importAll(Collection<RadiusUser> users, List<DefaultEntry> defaults) {
        tx.executeWithoutResult(s -> {
            for (RadiusUser u : users) {
                write(u);
            }
            jdbc.update("DELETE FROM radius_default_entry");
            for (DefaultEntry d : defaults) {
                jdbc.update("""
                        INSERT INTO radius_default_entry (ordinal, auth_type, check_items, reply_items, fall_through)
                        VALUES (?, ?, ?::jsonb, ?::jsonb, ?)""",
                        d.ordinal(), d.authType() == null ? null : d.authType().name().toLowerCase(Locale.ROOT),
                        json(d.checkItems()), json(d.replyItems()), d.fallThrough());
            }
        });
    }

    public List<DefaultEntry> defaults() {
        return within(jdbc -> jdbc.query("""
                SELECT ordinal, auth_type, check_items::text, reply_items::text, fall_through
                FROM radius_default_entry ORDER BY ordinal""",
                (rs, n) -> new DefaultEntry(rs.getInt(1),
                        rs.getString(2) == null ? null
                                : RadiusUser.AuthType.valueOf(rs.getString(2).toUpperCase(Locale.ROOT)),
                        items(rs.getString(3)), items(rs.getString(4)), rs.getBoolean(5))));
    }

    public boolean setStatus(String username, String realm, RadiusUser.Status status) {
        return jdbc.update("UPDATE radius_user SET status = ?, updated_at = now() WHERE username = ? AND realm = ?",
                status.name().toLowerCase(Locale.ROOT), username, realm) > 0;
    }

    public boolean remove(String username, String realm) {
        return jdbc.update("DELETE FROM radius_user WHERE username = ? AND realm = ?", username, realm) > 0;
    }

    private void write(RadiusUser u) {
        Long id = jdbc.queryForObject("""
                INSERT INTO radius_user (username, realm, status, auth_type, pap_hash, digest_ha1, cleartext_password)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (username, realm) DO UPDATE SET status = EXCLUDED.status, auth_type = EXCLUDED.auth_type,
                    pap_hash = EXCLUDED.pap_hash, digest_ha1 = EXCLUDED.digest_ha1,
                    cleartext_password = EXCLUDED.cleartext_password, updated_at = now()
                RETURNING id""", Long.class,
                u.username(), u.realm(), u.status().name().toLowerCase(Locale.ROOT),
                u.authType() == null ? null : u.authType().name().toLowerCase(Locale.ROOT),
                u.papHash(), u.digestHa1(), u.cleartextPassword());
        jdbc.update("DELETE FROM radius_user_group WHERE user_id = ?", id);
        jdbc.update("DELETE FROM radius_user_check WHERE user_id = ?", id);
        jdbc.update("DELETE FROM radius_user_reply WHERE user_id = ?", id);
        for (String g : u.groups()) {
            jdbc.update("INSERT INTO radius_user_group (user_id, group_name) VALUES (?, ?)", id, g);
        }
        for (AttributeItem c : u.checkItems()) {
            jdbc.update("INSERT INTO radius_user_check (user_id, attribute, op, value) VALUES (?, ?, ?, ?)",
                    id, c.attribute(), c.op(), c.value());
        }
        int ordinal = 0;
        for (AttributeItem r : u.replyItems()) {
            jdbc.update("""
                    INSERT INTO radius_user_reply (user_id, service_type, attribute, op, value, ordinal)
                    VALUES (?, ?, ?, ?, ?, ?)""", id, r.serviceType(), r.attribute(), r.op(), r.value(), ordinal++);
        }
    }

    private static String json(List<AttributeItem> items) {
        try {
            return JSON.writeValueAsString(items);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<AttributeItem> items(String json) {
        try {
            return JSON.readValue(json, ITEMS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bad radius_default_entry items: " + e.getMessage(), e);
        }
    }
}
