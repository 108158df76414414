package io.twinstream.jobs.backtest;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line that {@code backtest} and {@code evaluate-csv} share: {@code --input DIR}, {@code --output DIR},
 * {@code --label-column NAME}, {@code --exclude-columns A,B}, and {@code --<setting> value} for the pipeline's
 * settings. Each command checks what it requires.
 */
record CsvCommandLine(Path input, Path output, String labelColumn, Set<String> excluded, Map<String, String> settings) {

    /**
     * The parsed line turned into a command's options by {@code options}, which throws an IllegalArgumentException
     * for what the command requires; null after printing the usage for {@code --help}; on a wrong argument, one line
     * and the usage on stderr, exit code 2.
     */
    static <T> T parseOrExit(String[] args, String command, String usage,
            java.util.function.Function<CsvCommandLine, T> options) {
        try {
            CsvCommandLine c = parse(args);
            if (c == null) {
                System.out.println(usage);
                return null;
            }
            return options.apply(c);
        } catch (IllegalArgumentException e) {
            fail(command, usage, e.getMessage());
            return null;
        }
    }

    /** What was wrong, in one line, then the usage; exit code 2. */
    static void fail(String command, String usage, String message) {
        System.err.println("twinstream " + command + ": " + message);
        System.err.println(usage);
        System.exit(2);
    }

    /** The parsed line, or null for {@code --help}; an IllegalArgumentException says what is wrong. */
    static CsvCommandLine parse(String[] args) {
        Map<String, String> settings = new LinkedHashMap<>();
        Path input = null;
        Path output = null;
        String label = null;
        Set<String> excluded = new LinkedHashSet<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                return null;
            }
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--input" -> input = Path.of(v);
                case "--output" -> output = Path.of(v);
                case "--label-column" -> label = v;
                case "--exclude-columns" -> excluded.addAll(List.of(v.split(",")));
                default -> settings.put(a.substring(2), v);
            }
        }
        return new CsvCommandLine(input, output, label, excluded, settings);
    }
}
