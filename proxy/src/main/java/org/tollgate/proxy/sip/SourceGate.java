package org.tollgate.proxy.sip;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * What the stack's entry points (the parser of datagrams, the TCP reader, the message valve)
 * ask before a message gets any further, and tell about messages they cannot use. The RI makes
 * those by class name, so each stack's gate is registered here by stack name.
 */
public interface SourceGate {

    /** Every message from {@code address}, counted (floods); false: drop it (a banned source). */
    boolean admit(String address);

    /** A message that could not be parsed; {@code source} "ip/transport", or null when unknown. */
    void unparsable(String source, String why);

    /** A gate made of what answers each question. */
    static SourceGate of(Predicate<String> admit, BiConsumer<String, String> unparsable) {
        return new SourceGate() {
            @Override
            public boolean admit(String address) {
                return admit.test(address);
            }

            @Override
            public void unparsable(String source, String why) {
                unparsable.accept(source, why);
            }
        };
    }

    SourceGate OPEN = of(address -> true, (source, why) -> { });

    /** The gates of the stacks in this JVM, by stack name. */
    final class Registry {
        private static final Map<String, SourceGate> GATES = new ConcurrentHashMap<>();

        private Registry() {
        }

        static void register(String stackName, SourceGate gate) {
            GATES.put(stackName, gate);
        }

        static void unregister(String stackName) {
            GATES.remove(stackName);
        }

        static SourceGate of(String stackName) {
            return GATES.getOrDefault(stackName, OPEN);
        }
    }
}
