package io.twinstream.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README stays a newcomer's page that starts with the two set-up commands, and every link in the docs resolves. */
class DocsTest {
    static final Path ROOT = Path.of("..");
    static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void theReadmeIsShortAndStartsWithTheTwoCommands() throws Exception {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        assertThat(lines.size()).as("README.md lines").isLessThanOrEqualTo(300);
        assertThat(String.join("\n", lines)).startsWith("# twinstream\n\n```bash\nbin/twinstream demo")
                .contains("\nmvn -B verify ");
    }

    @Test
    void everyRelativeLinkInTheReadmeAndTheDocsResolves() throws Exception {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        assertThat(pages).hasSizeGreaterThan(5);
        int links = 0;
        for (Path page : pages) {
            Matcher m = LINK.matcher(Files.readString(page));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*") || target.startsWith("#")) {
                    continue;
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                assertThat(page.getParent().resolve(file)).as("%s links to %s", page, target).exists();
                links++;
            }
        }
        assertThat(links).isGreaterThan(10);
    }
}
