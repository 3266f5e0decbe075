package dev.mailpipe.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailpipe.mailbox.MailboxCredentials;
import dev.mailpipe.mailbox.MailboxEndpoint;
import dev.mailpipe.testing.SettingsFiles;
import java.nio.file.Path;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A password is taken as written: {@code {{...}}} and {@code ${...}} in it are not placeholders. */
class LiteralSecretsTest {

    private static final String PASSWORD = "p{{x}}w${y}d";

    @TempDir
    Path dir;

    @Test
    void mailboxPasswordWithBracesReachesTheLoginUnchanged() throws Exception {
        Path settings = SettingsFiles.write(
                dir, "mailbox.host=localhost", "mailbox.username=alice", "mailbox.password=" + PASSWORD);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation("file:" + settings);
            new MailpipeBeans().configure(context);

            context.getPropertiesComponent()
                    .addOverrideProperty("ledger.dir", dir.resolve("ledger").toString());
            context.getPropertiesComponent()
                    .addOverrideProperty("sink.files.dir", dir.resolve("out").toString());

            // The default mailbox's endpoint, as the route template makes it: every option blank.
            MailboxEndpoint mailbox =
                    (MailboxEndpoint) context.getEndpoint("mailbox:localhost?password=&passwordFile=");
            MailboxCredentials credentials =
                    (MailboxCredentials) mailbox.getConfiguration().getAuthenticator();
            assertThat(credentials.getPasswordAuthentication().getPassword()).isEqualTo(PASSWORD);
        }
    }
}
