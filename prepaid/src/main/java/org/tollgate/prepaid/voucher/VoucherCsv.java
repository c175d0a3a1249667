package org.tollgate.prepaid.voucher;

import java.io.IOException;
import java.io.Writer;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** A batch for the printer: one row per voucher — serial, code (grouped), value, currency, expiry. */
public final class VoucherCsv {

    public static final String[] HEADER = {"serial", "code", "value", "currency", "expires"};

    private VoucherCsv() {
    }

    public static void write(VoucherBatch batch, Writer out) throws IOException {
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(HEADER).get())) {
            for (VoucherBatch.Issued v : batch.vouchers()) {
                csv.printRecord(v.serial(), VoucherCode.format(v.code()), batch.value().toPlainString(), batch.currency(),
                        batch.expiresAt());
            }
        }
    }
}
