package dev.mailpipe.imap;

import org.apache.camel.spi.Metadata;

/** Headers of the imap-append component. */
public final class ImapAppendConstants {

    @Metadata(
            description = "Target folder for this message, overriding the endpoint's folder option.",
            javaType = "String")
    public static final String FOLDER = "CamelImapAppendFolder";

    @Metadata(
            description = "Path of the raw message to append; when absent the body is read as the raw message.",
            javaType = "String")
    public static final String FILE = "CamelImapAppendFile";

    @Metadata(description = "UID the server gave the appended message (UIDPLUS servers).", javaType = "Long")
    public static final String UID = "CamelImapAppendUid";

    @Metadata(
            description = "True when the message was already in the folder and was not appended again.",
            javaType = "Boolean")
    public static final String ALREADY_PRESENT = "CamelImapAppendAlreadyPresent";

    private ImapAppendConstants() {}
}
