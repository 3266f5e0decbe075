package dev.mailpipe.testing;

import dev.mailpipe.common.TrustedCertificates;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Reads back what an IMAPS test server holds, trusting the test CA. */
public final class ImapFolders {

    private ImapFolders() {}

    /** The raw messages of a folder ('/' between levels) as ISO-8859-1 text; empty if it does not exist. */
    public static List<String> messages(int imapsPort, String folderPath) throws Exception {
        Properties properties = new Properties();
        properties.put(
                "mail.imaps.ssl.socketFactory",
                TrustedCertificates.socketFactoryTrusting(TestMailServer.caFile(), "test"));
        try (Store store = Session.getInstance(properties).getStore("imaps")) {
            store.connect("localhost", imapsPort, TestMailServer.USER, TestMailServer.PASSWORD);
            Folder folder = store.getFolder(
                    folderPath.replace('/', store.getDefaultFolder().getSeparator()));
            if (!folder.exists()) {
                return List.of();
            }
            folder.open(Folder.READ_ONLY);
            List<String> messages = new ArrayList<>();
            for (Message message : folder.getMessages()) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                message.writeTo(bytes);
                messages.add(bytes.toString(StandardCharsets.ISO_8859_1));
            }
            return messages;
        }
    }
}
