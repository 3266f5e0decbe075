package dev.mailpipe.files;

import java.io.IOException;

/** The file system refused a write (as opposed to the message's source failing while being copied). */
public final class FileSinkException extends IOException {

    public FileSinkException(IOException cause) {
        super(cause.toString(), cause);
    }
}
