package org.tollgate.cdr.job;

import java.time.Instant;

import org.springframework.batch.item.ItemProcessor;
import org.tollgate.cdr.pairing.CallEvents;
import org.tollgate.cdr.pairing.CallPairer;
import org.tollgate.cdr.pairing.PairingResult;

/** Pairs each Call-ID as of the run's time. */
public class PairingProcessor implements ItemProcessor<CallEvents, PairingResult> {

    private final CallPairer pairer;
    private final Instant asOf;

    public PairingProcessor(CallPairer pairer, Instant asOf) {
        this.pairer = pairer;
        this.asOf = asOf;
    }

    @Override
    public PairingResult process(CallEvents events) {
        return pairer.pair(events, asOf);
    }
}
