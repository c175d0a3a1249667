package org.tollgate.rating.plan;

import java.util.List;

/** A rate file refused as a whole: every problem, each with its line number. */
public final class RateCsvException extends RuntimeException {

    private final List<String> problems;

    public RateCsvException(String source, List<String> problems) {
        super(source + ": " + problems.size() + " problem(s), nothing imported:" + System.lineSeparator()
                + String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    /** "line N: reason", in file order. */
    public List<String> problems() {
        return problems;
    }
}
