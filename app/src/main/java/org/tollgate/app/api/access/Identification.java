package org.tollgate.app.api.access;

/** What a request's credentials say about who it is. */
public sealed interface Identification {

    /** Credentials that prove who the caller is. */
    record Known(Caller caller) implements Identification { }

    /** No credentials at all. */
    record Anonymous() implements Identification { }

    /** Credentials that prove nothing: a wrong token, an unknown scheme. */
    record Invalid() implements Identification { }
}
