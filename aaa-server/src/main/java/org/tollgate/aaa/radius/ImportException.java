package org.tollgate.aaa.radius;

import java.util.List;

/** A file that cannot be imported: every problem with its line number. Nothing was imported. */
public class ImportException extends Exception {

    private final List<String> problems;

    public ImportException(String file, List<String> problems) {
        super(file + ": " + problems.size() + " problem(s), nothing imported:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
