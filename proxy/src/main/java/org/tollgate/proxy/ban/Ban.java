package org.tollgate.proxy.ban;

import java.time.Instant;

/**
 * One ban: a source address or a user (locked), why, and until when. {@code id} is its row in
 * {@code sip_ban} once written (0 before).
 */
public record Ban(long id, Kind kind, String subject, String source, String reason, String detail, Instant bannedAt,
                  Instant until) {

    public enum Kind {
        SOURCE, USER;

        public String column() {
            return name().toLowerCase();
        }

        public static Kind of(String column) {
            return valueOf(column.toUpperCase());
        }
    }

    Ban withId(long newId) {
        return new Ban(newId, kind, subject, source, reason, detail, bannedAt, until);
    }
}
