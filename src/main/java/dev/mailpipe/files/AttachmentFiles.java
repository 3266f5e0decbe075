package dev.mailpipe.files;

import dev.mailpipe.mime.AttachmentStore;
import java.nio.file.Path;

/** The files sink's attachment store: one message's attachments as {@code <key>/<n>-<safe name>}, written atomically. */
public final class AttachmentFiles implements AttachmentStore {

    private final FilesLayout layout;
    private final String key;

    public AttachmentFiles(FilesLayout layout, String key) {
        this.layout = layout;
        this.key = key;
    }

    /** Returns the reference the event keeps; any failure is thrown, never reported as stored. */
    @Override
    public String store(int index, String filename, Content content) throws Exception {
        Path file = layout.attachmentFile(key, index, filename);
        AtomicFiles.write(file, layout.modes(), content::writeTo);
        return layout.reference(file);
    }
}
