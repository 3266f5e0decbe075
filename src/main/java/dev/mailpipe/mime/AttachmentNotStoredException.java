package dev.mailpipe.mime;

/**
 * The {@link AttachmentStore} failed: the message cannot be delivered whole, so the mapping fails
 * rather than emit an event whose attachment has no bytes. An I/O exception, because storing is
 * I/O; the caller tells it from an unreadable message by its type.
 */
public final class AttachmentNotStoredException extends java.io.IOException {

    public AttachmentNotStoredException(String part, Exception cause) {
        super("could not store the attachment of part " + part + ": " + cause, cause);
    }
}
