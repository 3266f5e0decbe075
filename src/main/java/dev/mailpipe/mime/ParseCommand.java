package dev.mailpipe.mime;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code java -jar mailpipe.jar parse FILE...}: prints one JSON mail event per file, one per line.
 * Malformed mail still gives an event (its defects listed) and exit code 0; only a file that cannot
 * be read makes the exit code 1. Attachments are hashed and measured, not stored.
 */
public final class ParseCommand {

    private final PrintStream out;
    private final PrintStream err;

    public ParseCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public int run(List<String> files) {
        if (files.isEmpty()) {
            err.println("mailpipe parse: name at least one file");
            return 2;
        }
        MailEventMapper mapper = new MailEventMapper(AttachmentStore.DISCARD);
        int exitCode = 0;
        for (String name : files) {
            Path file = Path.of(name);
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                err.println("mailpipe parse: cannot read " + file);
                exitCode = 1;
                continue;
            }
            try {
                out.println(MailEventJson.compact(mapper.map(file, MessageContext.NONE)));
            } catch (IOException e) {
                err.println("mailpipe parse: cannot read " + file + ": " + e.getMessage());
                exitCode = 1;
            }
        }
        return exitCode;
    }
}
