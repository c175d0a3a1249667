package org.tollgate.proxy.dialog;

import java.util.Collection;
import java.util.List;

/** Where dialogs are kept so they can be listed from outside and survive a proxy restart. */
public interface DialogStore {

    /** Writes the dialogs' current state and removes the ended ones, in one go. */
    void write(Collection<Dialog> upserts, Collection<Dialog> deletes);

    /** The dialogs this proxy instance left behind (at start-up). */
    List<Dialog> load();
}
