package org.tollgate.reports;

import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xddf.usermodel.chart.AxisPosition;
import org.apache.poi.xddf.usermodel.chart.BarDirection;
import org.apache.poi.xddf.usermodel.chart.ChartTypes;
import org.apache.poi.xddf.usermodel.chart.LegendPosition;
import org.apache.poi.xddf.usermodel.chart.XDDFBarChartData;
import org.apache.poi.xddf.usermodel.chart.XDDFCategoryAxis;
import org.apache.poi.xddf.usermodel.chart.XDDFCategoryDataSource;
import org.apache.poi.xddf.usermodel.chart.XDDFDataSourcesFactory;
import org.apache.poi.xddf.usermodel.chart.XDDFNumericalDataSource;
import org.apache.poi.xddf.usermodel.chart.XDDFValueAxis;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFChart;
import org.apache.poi.xssf.usermodel.XSSFClientAnchor;
import org.apache.poi.xssf.usermodel.XSSFDrawing;
import org.apache.poi.xssf.usermodel.XSSFSheet;

/**
 * A bar chart on a sheet of its own, referring to the data sheet's cells. The streamed data
 * sheet cannot be read back, so the chart's cached values come with the chart (Excel
 * recomputes from the cells on open).
 */
final class XlsxChart {

    private XlsxChart() {
    }

    static void draw(SXSSFWorkbook book, String dataSheet, Chart chart) {
        book.createSheet("Chart");
        // a chart sheet holds no rows, so it can be drawn on through the non-streaming sheet behind it
        XSSFSheet sheet = book.getXSSFWorkbook().getSheet("Chart");
        XSSFDrawing drawing = sheet.createDrawingPatriarch();
        XSSFClientAnchor anchor = drawing.createAnchor(0, 0, 0, 0, 0, 0, 16, 30);
        XSSFChart c = drawing.createChart(anchor);
        c.setTitleText(chart.title());
        c.setTitleOverlay(false);
        c.getOrAddLegend().setPosition(LegendPosition.BOTTOM);
        XDDFCategoryAxis x = c.createCategoryAxis(AxisPosition.BOTTOM);
        XDDFValueAxis y = c.createValueAxis(AxisPosition.LEFT);
        y.setTitle(chart.valueTitle());
        int n = chart.categories().size();
        XDDFCategoryDataSource categories = XDDFDataSourcesFactory.fromArray(
                chart.categories().toArray(new String[0]), range(dataSheet, chart.categoryColumn(), n));
        XDDFNumericalDataSource<Double> values = XDDFDataSourcesFactory.fromArray(
                chart.values().toArray(new Double[0]), range(dataSheet, chart.valueColumn(), n));
        XDDFBarChartData data = (XDDFBarChartData) c.createData(ChartTypes.BAR, x, y);
        data.setBarDirection(BarDirection.COL);
        data.setVaryColors(false);
        data.addSeries(categories, values).setTitle(chart.valueTitle(), null);
        c.plot(data);
    }

    /** Rows 2..n+1 of one column of the data sheet, as an absolute reference. */
    private static String range(String sheet, int column, int n) {
        return new CellRangeAddress(1, n, column, column).formatAsString(sheet, true);
    }
}
