package org.tollgate.api.prepaid;

/**
 * Which accounts are prepaid, answered from memory: a network front end asks it for every
 * request it sees (the accounting path for every record), so that postpaid traffic never waits
 * on, nor costs, a query. Kept current by the prepaid module (reloaded, and told of changes).
 */
public interface PrepaidAccountNames {

    /** True when an account of that name exists and is prepaid. */
    boolean isPrepaid(String account);
}
