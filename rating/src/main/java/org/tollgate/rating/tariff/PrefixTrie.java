package org.tollgate.rating.tariff;

import java.time.Instant;

/**
 * Rates by E.164 prefix in a digit trie: a lookup walks at most as many nodes as the number has
 * digits, whatever the size of the plan. Among the prefixes of a number, the longest with a rate
 * in force wins.
 */
public final class PrefixTrie {

    private static final Rate[] NONE = new Rate[0];

    // the ten children are fields, not an array: one object (about a cache line) per digit walked
    private static final class Node {
        Node d0, d1, d2, d3, d4, d5, d6, d7, d8, d9;
        Rate[] rates = NONE;
        // every rate here is in force forever: the common case, answered without touching the rates
        boolean timeless = true;

        Node next(int d) {
            switch (d) {
                case 0: return d0;
                case 1: return d1;
                case 2: return d2;
                case 3: return d3;
                case 4: return d4;
                case 5: return d5;
                case 6: return d6;
                case 7: return d7;
                case 8: return d8;
                case 9: return d9;
                default: return null;
            }
        }

        Node grow(int d) {
            Node n = next(d);
            if (n != null) {
                return n;
            }
            n = new Node();
            switch (d) {
                case 0: d0 = n; break;
                case 1: d1 = n; break;
                case 2: d2 = n; break;
                case 3: d3 = n; break;
                case 4: d4 = n; break;
                case 5: d5 = n; break;
                case 6: d6 = n; break;
                case 7: d7 = n; break;
                case 8: d8 = n; break;
                default: d9 = n; break;
            }
            return n;
        }
    }

    private final Node root = new Node();
    private int prefixes;

    public PrefixTrie(Iterable<Rate> rates) {
        for (Rate r : rates) {
            Node n = root;
            for (int i = 0; i < r.prefix().length(); i++) {
                n = n.grow(r.prefix().charAt(i) - '0');
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
            n = n.next(digits.charAt(i) - '0');
            if (n == null) {
                break;
            }
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
