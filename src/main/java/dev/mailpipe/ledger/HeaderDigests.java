package dev.mailpipe.ledger;

import dev.mailpipe.common.MailpipeHeaders;
import dev.mailpipe.mailbox.HeaderDigest;
import dev.mailpipe.mailbox.ListedMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.slf4j.LoggerFactory;

/**
 * The header digest the ledger records with a settled message: from this attempt's download, or,
 * when an earlier attempt stored the message and this one skipped the download, from the stored
 * {@code .eml}; null when neither has its bytes (the message is then never deleted unstored on the
 * strength of its headers).
 */
final class HeaderDigests {

    private HeaderDigests() {}

    static String of(Exchange exchange) {
        Optional<ListedMessage> listed = ListedMessage.of(exchange);
        Optional<String> known = listed.flatMap(ListedMessage::knownHeaderDigest);
        if (known.isPresent()) {
            return known.get();
        }
        Object stored = exchange.getMessage().getHeader(MailpipeHeaders.EML_FILE);
        if (stored == null) {
            return null;
        }
        Path file = Path.of(stored.toString());
        try (InputStream in = Files.newInputStream(file)) {
            String digest = HeaderDigest.of(in);
            // Read once per attempt: the other sinks' marks take it from here.
            listed.ifPresent(message -> message.downloaded(digest));
            return digest;
        } catch (IOException e) {
            LoggerFactory.getLogger(HeaderDigests.class)
                    .debug("Could not read the headers of {} for its digest: {}", file, e.toString());
            return null;
        }
    }
}
