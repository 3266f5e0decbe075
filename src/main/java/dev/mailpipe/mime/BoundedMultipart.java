package dev.mailpipe.mime;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimePartDataSource;
import java.io.InputStream;

/**
 * A multipart whose parts count against one budget for the whole message. Angus Mail builds every
 * part of a multipart (its header fields read, its objects made) when the multipart is first
 * counted, so a cap checked while walking the parts comes too late: 100,000 empty parts fit in one
 * megabyte. Past the budget, the splitter still finds the boundaries (one linear scan) but each
 * part is one shared marker, which costs nothing.
 */
final class BoundedMultipart extends MimeMultipart {

    /** Parts left for the whole message; shared by all of its multiparts. */
    static final class Budget {
        private int left;

        Budget(int parts) {
            this.left = parts;
        }

        boolean take() {
            if (left == 0) {
                return false;
            }
            left--;
            return true;
        }
    }

    private final Budget budget;

    /** Stands for every part of this multipart beyond the budget; never read. */
    private MimeBodyPart skipped;

    BoundedMultipart(MimePart part, Budget budget) throws MessagingException {
        super(new MimePartDataSource(part));
        this.budget = budget;
    }

    /** Whether {@code part} was left out for the budget. */
    boolean isSkipped(BodyPart part) {
        return part == skipped;
    }

    @Override
    protected MimeBodyPart createMimeBodyPart(InputStream is) throws MessagingException {
        return budget.take() ? super.createMimeBodyPart(is) : skipped();
    }

    /** Used when the multipart's content had to be decoded first (not a shared stream). */
    @Override
    protected MimeBodyPart createMimeBodyPart(InternetHeaders headers, byte[] content) throws MessagingException {
        return budget.take() ? super.createMimeBodyPart(headers, content) : skipped();
    }

    private MimeBodyPart skipped() {
        if (skipped == null) {
            skipped = new MimeBodyPart();
        }
        return skipped;
    }
}
