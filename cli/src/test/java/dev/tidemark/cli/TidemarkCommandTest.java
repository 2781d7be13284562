package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.DatabaseOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs the {@code tidemark} command in-process, as a user would, on a database in a temporary directory. */
class TidemarkCommandTest
{
    private static final int PAGE = DatabaseOptions.DEFAULT_PAGE_SIZE;

    @TempDir
    Path temp;

    /** What one run of the command printed, and its exit code. */
    private record Run(int exitCode, String out, String err)
    {
    }

    private Run tidemark(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine command = TidemarkCommand.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true));
        final int exitCode = command.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private String dir()
    {
        return temp.resolve("db").toString();
    }

    private Run ok(final String... args)
    {
        final Run run = tidemark(args);
        assertThat(run.exitCode()).as("exit code of %s; stderr: %s", List.of(args), run.err()).isZero();
        assertThat(run.err()).isEmpty();
        return run;
    }

    private Run kv(final String command, final String... rest)
    {
        final List<String> args = new ArrayList<>(List.of(command, "--dir", dir(), "--keyspace", "fruit"));
        args.addAll(List.of(rest));
        return tidemark(args.toArray(String[]::new));
    }

    @Test
    void shouldPutGetAndDeleteUtf8KeysAndValues()
    {
        assertThat(kv("put", "apple", "red").out()).contains("stored 3 bytes under 'apple' in new keyspace 'fruit'");
        assertThat(kv("put", "kiwi", "grün").out()).contains("stored 5 bytes under 'kiwi' in keyspace 'fruit'");

        assertThat(kv("get", "apple").out()).isEqualTo("red" + System.lineSeparator());
        assertThat(kv("get", "kiwi").out().strip()).isEqualTo("grün");

        final Run deleted = kv("delete", "apple");
        assertThat(deleted.exitCode()).isZero();
        assertThat(deleted.out()).contains("deleted 'apple'");
        assertThat(kv("delete", "apple").out()).contains("nothing deleted");

        final Run missing = kv("get", "apple");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err()).contains("there is no key 'apple' in keyspace 'fruit'");
    }

    @Test
    void shouldTakeAndPrintHexWithTheHexOption()
    {
        assertThat(kv("put", "--hex", "0x00ff", "cafe").exitCode()).isZero();
        assertThat(kv("get", "--hex", "00FF").out().strip()).isEqualTo("cafe");
        assertThat(kv("get", "--hex", "00ff").exitCode()).isZero();

        assertThat(kv("put", "plain", "text").exitCode()).isZero();
        assertThat(kv("get", "--hex", "706c61696e").out().strip()).isEqualTo("74657874");
    }

    @Test
    void shouldScanInOrderWithBoundsLimitReverseAndRendering()
    {
        for (final String key : List.of("a", "b", "c", "d", "e"))
        {
            assertThat(kv("put", key, key.toUpperCase()).exitCode()).isZero();
        }
        assertThat(kv("put", "--hex", "ff01", "0007").exitCode()).isZero();
        final String nl = System.lineSeparator();

        assertThat(kv("scan").out()).isEqualTo("a\tA" + nl + "b\tB" + nl + "c\tC" + nl + "d\tD" + nl + "e\tE" + nl
            + "0xff01\t0x0007" + nl);
        assertThat(kv("scan", "--from", "b", "--to", "d").out()).isEqualTo("b\tB" + nl + "c\tC" + nl);
        assertThat(kv("scan", "--limit", "2").out()).isEqualTo("a\tA" + nl + "b\tB" + nl);
        assertThat(kv("scan", "--reverse", "--limit", "2").out()).isEqualTo("0xff01\t0x0007" + nl + "e\tE" + nl);
        assertThat(kv("scan", "--reverse", "--from", "b", "--to", "d").out()).isEqualTo("c\tC" + nl + "b\tB" + nl);
        assertThat(kv("scan", "--hex", "--from", "ff").out()).isEqualTo("ff01\t0007" + nl);
    }

    @Test
    void shouldListKeyspacesAndPrintStatsAndVerify()
    {
        assertThat(kv("put", "apple", "red").exitCode()).isZero();
        assertThat(tidemark("put", "--dir", dir(), "--keyspace", "colours", "red", "#f00").exitCode()).isZero();

        assertThat(ok("keyspaces", "--dir", dir()).out().lines()).containsExactly("colours", "fruit");

        final String stats = ok("stats", "--dir", dir()).out();
        assertThat(stats).contains("keyspaces", "2 (colours, fruit)", "durable LSN", "committed", "serialization failures");

        final Run verify = ok("verify", "--dir", dir());
        assertThat(verify.out()).startsWith("valid: no problems found").contains("entries");
    }

    @Test
    void shouldFailVerifyOnADamagedDataFileNamingTheFile() throws Exception
    {
        assertThat(kv("put", "apple", "red").exitCode()).isZero();
        final Path pages = temp.resolve("db").resolve("pages.tm");
        final byte[] file = Files.readAllBytes(pages);
        for (int offset = PAGE + 100; offset < file.length; offset += PAGE)
        {
            file[offset] ^= (byte)0x5A;
        }
        Files.write(pages, file);

        final Run run = tidemark("verify", "--dir", dir());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out() + run.err()).contains("pages.tm");
    }

    @Test
    void shouldRunTheDemoAndShowWhatEachIsolationLevelAllows()
    {
        final Path demo = temp.resolve("demo");
        final Run first = ok("demo", "--dir", demo.toString());
        final Run run = ok("demo", "--dir", demo.toString());

        assertThat(run.out()).contains(
            "10,000 accounts, total 1,000,000",
            "valid: no problems found",
            "Still there: 10,000 accounts, total 1,000,000",
            "READ_COMMITTED  allows   read skew",
            "SNAPSHOT        prevents read skew",
            "READ_COMMITTED  allows   lost update",
            "SNAPSHOT        prevents lost update: T1 aborted: SerializationFailureException",
            "SNAPSHOT        allows   write skew: nobody is on call",
            "SERIALIZABLE    prevents write skew: T2 aborted: SerializationFailureException");
        assertThat(run.out()).containsPattern("write skew +allowed +allowed +prevented");
        assertThat(run.out()).as("the crash section").contains("killed with SIGKILL (exit status 137 = 128 + signal 9)",
            "Database.open recovered it in",
            "Every acknowledged commit survived the kill; nothing of the unfinished transaction did.",
            "db.verify(): valid");
        // the running transaction, and the one the kill caught between its write and its commit record, if any
        assertThat(run.out()).containsPattern("[12] transactions rolled back");
        assertThat(isolationSection(run.out())).isEqualTo(isolationSection(first.out()));
        assertThat(ok("scan", "--dir", demo.toString(), "--keyspace", "accounts", "--limit", "1").out())
            .isEqualTo("acct-00000\t100" + System.lineSeparator());
        assertThat(Thread.getAllStackTraces().keySet()).as("threads left running")
            .noneMatch(thread -> thread.isAlive() && thread.getName().startsWith("tidemark-"));
    }

    private static String isolationSection(final String demoOutput)
    {
        return demoOutput.substring(demoOutput.indexOf("== 4."), demoOutput.indexOf("== 5."));
    }

    @Test
    void shouldRefuseToRecreateADemoDirectoryThatHoldsSomethingElse() throws Exception
    {
        final Path notADatabase = Files.createDirectories(temp.resolve("mine"));
        Files.writeString(notADatabase.resolve("notes.txt"), "keep me");

        final Run run = tidemark("demo", "--dir", notADatabase.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("is not empty and holds no Tidemark database");
        assertThat(notADatabase.resolve("notes.txt")).exists();
    }

    @Test
    void shouldRejectAMissingKeyspaceClearly()
    {
        assertThat(kv("put", "apple", "red").exitCode()).isZero();

        final Run run = tidemark("get", "--dir", dir(), "--keyspace", "veg", "leek");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("there is no keyspace 'veg'", "its keyspaces are: fruit");

        final Run noOption = tidemark("get", "--dir", dir(), "leek");
        assertThat(noOption.exitCode()).isEqualTo(2);
        assertThat(noOption.err()).contains("Missing required option: '--keyspace=KS'", "tidemark get --help");
    }

    @Test
    void shouldRejectBadHexWithoutTouchingTheDatabase()
    {
        final Run notHex = kv("put", "--hex", "zz", "00");
        assertThat(notHex.exitCode()).isEqualTo(2);
        assertThat(notHex.err()).contains("KEY 'zz' is not hexadecimal: 'z' at position 1 is not a hex digit");
        assertThat(temp.resolve("db")).doesNotExist();

        final Run odd = kv("put", "--hex", "00", "abc");
        assertThat(odd.exitCode()).isEqualTo(2);
        assertThat(odd.err()).contains("VALUE 'abc' is not hexadecimal: it has an odd number of digits (3)");
    }

    @Test
    void shouldReportOtherBadInputWithAClearMessage() throws Exception
    {
        final Run noDatabase = tidemark("stats", "--dir", dir());
        assertThat(noDatabase.exitCode()).isEqualTo(1);
        assertThat(noDatabase.err()).contains("there is no database at").contains("check --dir");
        assertThat(temp.resolve("db")).doesNotExist();

        final Run emptyKey = kv("put", "", "x");
        assertThat(emptyKey.exitCode()).isEqualTo(2);
        assertThat(emptyKey.err()).contains("KEY is empty; a key holds 1 to 2048 bytes");
        assertThat(temp.resolve("db")).doesNotExist();

        final Run longKey = kv("put", "k".repeat(3000), "x");
        assertThat(longKey.exitCode()).isEqualTo(1);
        assertThat(longKey.err()).contains("key of 3000 bytes; keys hold 1 to 2048 bytes");

        final Path other = Files.createDirectories(temp.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "keep me");
        final Run notADatabase = tidemark("put", "--dir", other.toString(), "--keyspace", "k", "a", "b");
        assertThat(notADatabase.exitCode()).isEqualTo(1);
        assertThat(notADatabase.err()).contains("holds other files but no database");
        assertThat(other.resolve("MASTER")).doesNotExist();

        final Run badLimit = kv("scan", "--limit", "0");
        assertThat(badLimit.exitCode()).isEqualTo(2);
        assertThat(badLimit.err()).contains("--limit must be at least 1, was 0");

        final Run unknown = tidemark("frobnicate");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unmatched argument");
    }

    @Test
    void shouldPrintHelpForTheCommandAndEachSubcommand()
    {
        assertThat(ok("--help").out()).contains("Usage: tidemark", "demo", "put", "get", "delete", "scan",
            "keyspaces", "stats", "verify");
        for (final String command : List.of("demo", "put", "get", "delete", "scan", "keyspaces", "stats", "verify"))
        {
            assertThat(ok(command, "--help").out()).contains("Usage: tidemark " + command);
        }
        final Run bare = tidemark();
        assertThat(bare.exitCode()).isEqualTo(2);
        assertThat(bare.err()).contains("Usage: tidemark");
    }
}
