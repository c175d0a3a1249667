package org.tollgate.app.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.Callable;

import org.tollgate.api.Money;
import org.tollgate.app.TollgateMain;
import org.tollgate.prepaid.voucher.JdbcVouchers;
import org.tollgate.prepaid.voucher.VoucherBatch;
import org.tollgate.prepaid.voucher.VoucherCsv;
import org.tollgate.prepaid.voucher.VoucherExpiry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code tollgate voucher create|redeem|list}: prepaid vouchers. */
@Command(name = "voucher", mixinStandardHelpOptions = true, description = "Prepaid vouchers.",
        subcommands = {VoucherCommand.Create.class, VoucherCommand.Redeem.class, VoucherCommand.ListBatches.class})
public class VoucherCommand {

    @ParentCommand
    TollgateMain main;

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Make a batch of vouchers and write their "
            + "codes to a CSV file for the printer (mode 0600; the codes are nowhere else: the database keeps only hashes).")
    static class Create implements Callable<Integer> {
        @ParentCommand
        VoucherCommand parent;

        @Option(names = "--count", required = true, paramLabel = "N")
        int count;

        @Option(names = "--value", required = true, paramLabel = "V", description = "What each is worth, e.g. 10.00.")
        String value;

        @Option(names = "--currency", required = true, paramLabel = "C")
        String currency;

        @Option(names = "--expires", required = true, paramLabel = "D",
                description = "Last day it can be redeemed (YYYY-MM-DD, to the end of that day UTC), an instant, or an age ahead like 90d.")
        String expires;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The CSV file; must not exist.")
        Path out;

        @Override
        public Integer call() {
            record Args(Money value, Instant expires) { }
            return PrepaidAccountCommands.run(parent.main, () -> {
                Currency c;
                try {
                    c = Currency.getInstance(currency.trim().toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--currency: '" + currency + "' is not an ISO 4217 code like EUR");
                }
                if (Files.exists(out)) {
                    throw new IllegalArgumentException("--out " + out + " exists: vouchers are never written over a file");
                }
                return new Args(new Money(PrepaidAccountCommands.amount("--value", value), c), VoucherExpiry.parse(expires));
            }, (a, ctx) -> {
                Path tmp = temporary(out);
                try {
                    VoucherBatch batch = ctx.getBean(JdbcVouchers.class).create(count, a.value(), a.expires(), Instant.now(),
                            parent.main.actor() + " (tollgate voucher create)");
                    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                        VoucherCsv.write(batch, w);
                    }
                    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                    Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
                    List<VoucherBatch.Issued> v = batch.vouchers();
                    System.out.println("batch " + batch.id() + ": " + v.size() + " vouchers of " + a.value().amount().toPlainString()
                            + " " + batch.currency() + " (" + v.get(0).serial() + " … " + v.get(v.size() - 1).serial()
                            + "), redeemable until " + batch.expiresAt() + "; codes in " + out);
                    return 0;
                } catch (IOException e) {
                    throw new IllegalStateException("cannot write " + out + ": " + e.getMessage(), e);
                } finally {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // nothing to clean
                    }
                }
            });
        }

        /** Next to the target (so the rename is atomic), readable by its owner only. */
        private static Path temporary(Path out) {
            Path dir = out.toAbsolutePath().getParent();
            try {
                try {
                    return Files.createTempFile(dir, ".vouchers", ".tmp",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException e) {
                    return Files.createTempFile(dir, ".vouchers", ".tmp");
                }
            } catch (FileAlreadyExistsException e) {
                throw new IllegalArgumentException("--out: " + e.getMessage());
            } catch (IOException e) {
                throw new IllegalArgumentException("--out: cannot write in " + dir + " (" + e.getMessage() + ")");
            }
        }
    }

    @Command(name = "redeem", mixinStandardHelpOptions = true, description = "Credit a voucher to a prepaid account (once).")
    static class Redeem implements Callable<Integer> {
        @ParentCommand
        VoucherCommand parent;

        @Parameters(paramLabel = "CODE", description = "The 16 digits, spaces or dashes allowed (quote them).")
        String code;

        @Option(names = "--account", required = true, paramLabel = "A")
        String account;

        @Override
        public Integer call() {
            return PrepaidAccountCommands.run(parent.main, () -> code, (c, ctx) -> {
                JdbcVouchers.Redemption r = ctx.getBean(JdbcVouchers.class).redeem(c, account, Instant.now());
                System.out.println("voucher " + r.serial() + ": " + r.value().amount().toPlainString() + " "
                        + r.value().currency() + " credited to " + account + "; balance "
                        + r.entry().balanceAfter().toPlainString() + " " + r.value().currency());
                return 0;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Voucher batches, or one batch's vouchers.")
    static class ListBatches implements Callable<Integer> {
        @ParentCommand
        VoucherCommand parent;

        @Option(names = "--batch", paramLabel = "B", description = "List this batch's vouchers and who redeemed them.")
        Long batch;

        @picocli.CommandLine.Mixin
        Listing listing;


        @Override
        public Integer call() {
            return PrepaidAccountCommands.run(parent.main, () -> batch, (b, ctx) -> {
                JdbcVouchers vouchers = ctx.getBean(JdbcVouchers.class);
                Instant now = Instant.now();
                if (b == null && listing.print(vouchers.batches())) {
                    return 0;
                }
                if (b == null) {
                    System.out.printf("%-6s %12s %-4s %-21s %7s %9s %-21s %s%n", "BATCH", "VALUE", "CUR", "EXPIRES", "COUNT",
                            "REDEEMED", "CREATED", "BY");
                    for (JdbcVouchers.BatchSummary s : vouchers.batches()) {
                        System.out.printf("%-6d %12s %-4s %-21s %7d %9d %-21s %s%n", s.id(), s.value().toPlainString(),
                                s.currency(), s.expiresAt() + (s.expiresAt().isAfter(now) ? "" : " (expired)"), s.count(),
                                s.redeemed(), s.createdAt().toString().substring(0, 19), s.createdBy());
                    }
                    return 0;
                }
                List<JdbcVouchers.VoucherState> list = vouchers.vouchers(b);
                if (list.isEmpty()) {
                    throw new IllegalArgumentException("no voucher batch " + b);
                }
                if (listing.print(list)) {
                    return 0;
                }
                System.out.printf("%-16s %-22s %s%n", "SERIAL", "REDEEMED", "ACCOUNT");
                for (JdbcVouchers.VoucherState v : list) {
                    System.out.printf("%-16s %-22s %s%n", v.serial(), v.redeemedAt() == null ? "-" : v.redeemedAt(),
                            v.account() == null ? "" : v.account());
                }
                return 0;
            });
        }
    }
}
