package dev.mailpipe.files;

import dev.mailpipe.common.Sha256;
import dev.mailpipe.mailbox.MailboxId;
import dev.mailpipe.mime.MailEvent;
import dev.mailpipe.mime.MailEventMapper;
import dev.mailpipe.mime.MessageContext;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stores the attachments of each message named on the command line as the files sink does, then
 * prints the JVM's file name encoding and, per attachment, the message, the ref and the SHA-256 of
 * the bytes read back from the stored file: run in a forked JVM under another locale.
 */
public final class StoreAttachmentsMain {

    private StoreAttachmentsMain() {}

    public static void main(String[] args) throws Exception {
        System.out.println("sun.jnu.encoding\t" + System.getProperty("sun.jnu.encoding"));
        Path root = Path.of(args[0]);
        FilesLayout layout = new FilesLayout(root, new MailboxId("pop3", "localhost", 110, "alice"));
        for (int i = 1; i < args.length; i++) {
            String key = Sha256.hex(args[i]);
            MailEvent event =
                    new MailEventMapper(new AttachmentFiles(layout, key)).map(Path.of(args[i]), MessageContext.NONE);
            for (MailEvent.Attachment attachment : event.attachments()) {
                byte[] stored = Files.readAllBytes(root.resolve(attachment.ref()));
                System.out.println(args[i] + "\t" + attachment.ref() + "\t"
                        + Sha256.hex(Sha256.newDigest().digest(stored)));
            }
        }
    }
}
