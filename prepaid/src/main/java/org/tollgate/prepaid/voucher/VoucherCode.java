package org.tollgate.prepaid.voucher;

import java.security.SecureRandom;

/**
 * A voucher's code: 16 digits, 15 from a secure random source and a Luhn check digit, printed in
 * four groups of four ({@code 4716 0291 8835 1429}). The check digit catches a mistyped digit or
 * two swapped neighbours before the database is asked.
 */
public final class VoucherCode {

    public static final int LENGTH = 16;

    private VoucherCode() {
    }

    /** A new code, digits only. */
    public static String generate(SecureRandom random) {
        StringBuilder b = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH - 1; i++) {
            b.append((char) ('0' + random.nextInt(10)));
        }
        return b.append(checkDigit(b)).toString();
    }

    /** The code as printed: four groups of four digits. */
    public static String format(String digits) {
        return digits.substring(0, 4) + " " + digits.substring(4, 8) + " " + digits.substring(8, 12) + " "
                + digits.substring(12);
    }

    /**
     * The digits of a code as someone typed it (spaces and dashes ignored), or a {@link
     * VoucherRefused} saying why it cannot be one.
     */
    public static String parse(String typed) {
        String digits = typed == null ? "" : typed.replaceAll("[\\s-]", "");
        if (!digits.matches("[0-9]{" + LENGTH + "}")) {
            throw new VoucherRefused(VoucherRefused.Reason.NOT_A_CODE, "not a voucher code: a code has " + LENGTH
                    + " digits, like 4716 0291 8835 1429");
        }
        if (checkDigit(digits.subSequence(0, LENGTH - 1)) != digits.charAt(LENGTH - 1)) {
            throw new VoucherRefused(VoucherRefused.Reason.NOT_A_CODE,
                    "not a voucher code: its check digit is wrong (a digit mistyped?)");
        }
        return digits;
    }

    /** Luhn: from the right, every second digit of the payload doubled (digits of the product summed). */
    static char checkDigit(CharSequence payload) {
        int sum = 0;
        boolean dbl = true;
        for (int i = payload.length() - 1; i >= 0; i--) {
            int d = payload.charAt(i) - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return (char) ('0' + (10 - sum % 10) % 10);
    }
}
