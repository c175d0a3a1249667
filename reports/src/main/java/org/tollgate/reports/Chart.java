package org.tollgate.reports;

import java.util.List;

/** A bar chart: one bar per category with its value, drawn from data rows 1..n of the report. */
public record Chart(String title, String valueTitle, int categoryColumn, int valueColumn, List<String> categories,
                    List<Double> values) {

    public Chart {
        categories = List.copyOf(categories);
        values = List.copyOf(values);
    }
}
