package org.tollgate.aaa.radius.auth;

import java.util.List;

/** A DEFAULT entry of a users file: applies when its check items match the request. */
public record DefaultEntry(int ordinal, RadiusUser.AuthType authType, List<AttributeItem> checkItems,
                           List<AttributeItem> replyItems, boolean fallThrough) {

    public DefaultEntry {
        checkItems = List.copyOf(checkItems);
        replyItems = List.copyOf(replyItems);
    }
}
