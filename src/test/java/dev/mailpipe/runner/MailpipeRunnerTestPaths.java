package dev.mailpipe.runner;

import java.nio.file.Path;

/** Where the project's shipped routes are, for tests that boot the real runner. */
final class MailpipeRunnerTestPaths {

    private MailpipeRunnerTestPaths() {}

    static Path routes() {
        return Path.of(System.getProperty("mailpipe.project.dir", "."))
                .resolve("routes")
                .toAbsolutePath();
    }
}
