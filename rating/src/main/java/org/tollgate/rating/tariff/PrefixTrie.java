package org.tollgate.rating.tariff;

import java.time.Instant;

/**
 * Rates by E.164 prefix in a digit trie: a lookup walks at most as many nodes as the number has
 * digits, whatever the size of the plan. Among the prefixes of a number, the longest with a rate
 * in force wins.
 */
public final class PrefixTrie {

    private static final Rate[] NONE = new Rate[0];

    private static final class Node {
        final Node[] next = new Node[10];
        Rate[] rates = NONE;
        // every rate here is in force forever: the common case, answered without touching the rates
        boolean timeless = true;
    }

    private final Node root = new Node();
    private int prefixes;

    public PrefixTrie(Iterable<Rate> rates) {
        for (Rate r : rates) {
            Node n = root;
            for (int i = 0; i < r.prefix().length(); i++) {
                int d = r.prefix().charAt(i) - '0';
                if (n.next[d] == null) {
                    n.next[d] = new Node();
                }
                n = n.next[d];
            }
            if (n.rates.length == 0) {
                prefixes++;
            }
            Rate[] grown = java.util.Arrays.copyOf(n.rates, n.rates.length + 1);
            grown[n.rates.length] = r;
            n.rates = grown;
            n.timeless &= r.validFrom().equals(Instant.EPOCH) && r.validTo() == null;
        }
    }

    public int prefixes() {
        return prefixes;
    }

    /**
     * The rates of the longest prefix of {@code digits} that has a rate in force at {@code at}
     * (all that prefix's rates: the caller picks by band and checks them in force); empty if none.
     */
    public Rate[] longestInForce(String digits, Instant at) {
        Rate[] best = NONE;
        Node n = root;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(i) - '0';
            if (d < 0 || d > 9 || n.next[d] == null) {
                break;
            }
            n = n.next[d];
            if (n.rates.length > 0 && n.timeless && !at.isBefore(Instant.EPOCH)) {
                best = n.rates;
                continue;
            }
            for (Rate r : n.rates) {
                if (r.inForceAt(at)) {
                    best = n.rates;
                    break;
                }
            }
        }
        return best;
    }
}
