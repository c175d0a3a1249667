package org.tollgate.cdr.pairing;

import java.time.Instant;
import java.util.Optional;

/** Accounting-On/Off seen from each NAS: the evidence that a NAS restarted under its calls. */
public interface NasReboots {

    /** The first Accounting-On/Off from {@code nasAddress} in [from, until]. */
    Optional<Instant> first(String nasAddress, Instant from, Instant until);

    NasReboots NONE = (nas, from, until) -> Optional.empty();
}
