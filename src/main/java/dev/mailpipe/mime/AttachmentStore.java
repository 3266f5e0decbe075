package dev.mailpipe.mime;

import java.io.OutputStream;

/** Where the mapper puts attachment bytes (the claim check); the event keeps only the reference. */
public interface AttachmentStore {

    /** Writes the decoded bytes of one attachment into the stream it is given. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws Exception;
    }

    /**
     * Stores attachment number {@code index} (from 1) and returns its reference, or null when the
     * bytes are not kept. {@code filename} is as the sender gave it: hostile, maybe null.
     */
    String store(int index, String filename, Content content) throws Exception;

    /** Reads the bytes (for size and hash) and keeps nothing: for the parse command. */
    AttachmentStore DISCARD = (index, filename, content) -> {
        content.writeTo(OutputStream.nullOutputStream());
        return null;
    };
}
