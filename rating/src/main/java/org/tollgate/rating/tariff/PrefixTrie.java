package org.tollgate.rating.tariff;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
        }
    }

    public int prefixes() {
        return prefixes;
    }

    /** The rates of the longest prefix of {@code digits} that has a rate in force at {@code at}; empty if none. */
    public List<Rate> longestInForce(String digits, Instant at) {
        Node[] path = new Node[digits.length() + 1];
        int depth = 0;
        Node n = root;
        path[0] = n;
        while (depth < digits.length()) {
            int d = digits.charAt(depth) - '0';
            if (d < 0 || d > 9 || n.next[d] == null) {
                break;
            }
            n = n.next[d];
            path[++depth] = n;
        }
        for (int i = depth; i > 0; i--) {
            List<Rate> inForce = null;
            for (Rate r : path[i].rates) {
                if (r.inForceAt(at)) {
                    if (inForce == null) {
                        inForce = new ArrayList<>(4);
                    }
                    inForce.add(r);
                }
            }
            if (inForce != null) {
                return inForce;
            }
        }
        return List.of();
    }
}
