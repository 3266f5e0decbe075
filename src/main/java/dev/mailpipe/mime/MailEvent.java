package dev.mailpipe.mime;

import java.util.List;
import java.util.Map;

/**
 * A mail message as data: the normalized, versioned JSON event mailpipe emits for every message
 * (schema: {@code docs/mail-event.schema.json}). Attachment bytes are never inlined: each
 * attachment has a {@code ref} to where they were stored. Fields that a message lacks are null
 * (single values) or empty (lists), never absent.
 *
 * @param schemaVersion version of this shape; bumped only for incompatible changes
 * @param key the ledger key (SHA-256 hex of mailbox and UIDL), stable across redeliveries
 * @param mailbox the mailbox account, {@code pop3s://user@host:port}; never a secret
 * @param uidl the POP3 UIDL (or {@code sha256:...} when the server has no UIDL)
 * @param messageId the Message-ID header, with its angle brackets
 * @param date the Date header as ISO-8601 with offset, null when absent or unparseable
 * @param receivedAt when mailpipe downloaded it, ISO-8601 UTC
 * @param from From addresses (RFC 2047 names decoded)
 * @param sender Sender address, if any
 * @param replyTo Reply-To addresses
 * @param to To addresses
 * @param cc Cc addresses
 * @param bcc Bcc addresses (present only when the message carries them)
 * @param subject the Subject decoded to Unicode
 * @param text the first plain-text body, decoded to Unicode from its charset
 * @param html the first HTML body, decoded to Unicode from its charset
 * @param attachments every other part with content: files, inline images, further bodies
 * @param inReplyTo the first Message-ID in In-Reply-To
 * @param references the Message-IDs in References, in order
 * @param authentication verdicts from Authentication-Results and Received-SPF
 * @param spam spam-filter headers (X-Spam-*), by header name
 * @param size bytes of the raw message as the server sent it
 * @param headers every top-level header field, in order
 * @param defects what was malformed and how it was handled; empty for a clean message
 */
public record MailEvent(
        int schemaVersion,
        String key,
        String mailbox,
        String uidl,
        String messageId,
        String date,
        String receivedAt,
        List<Address> from,
        Address sender,
        List<Address> replyTo,
        List<Address> to,
        List<Address> cc,
        List<Address> bcc,
        String subject,
        Body text,
        Body html,
        List<Attachment> attachments,
        String inReplyTo,
        List<String> references,
        Authentication authentication,
        Map<String, String> spam,
        long size,
        List<Header> headers,
        List<Defect> defects) {

    public static final int SCHEMA_VERSION = 1;

    /**
     * A mailbox address.
     *
     * @param name the display name, decoded; null when there is none
     * @param address the addr-spec, e.g. {@code alice@example.org}
     */
    public record Address(String name, String address) {}

    /**
     * A text body.
     *
     * @param content the text, decoded to Unicode, at most the cap
     * @param charset the charset it was decoded from (the declared one, or the fallback)
     * @param truncated true when the body was longer than the cap
     */
    public record Body(String content, String charset, boolean truncated) {}

    /**
     * A part stored apart from the event (claim check).
     *
     * @param filename the decoded file name (RFC 2047 and RFC 2231), as the sender gave it; null if none
     * @param contentType the media type, lower case, without parameters
     * @param disposition {@code attachment}, {@code inline} or null
     * @param inline whether it is shown inside the message (inline disposition or a Content-ID)
     * @param contentId the Content-ID without angle brackets, or null
     * @param size bytes after transfer decoding
     * @param sha256 SHA-256 of those bytes, hex
     * @param ref where the bytes were stored, relative to the files sink folder; null when not stored
     */
    public record Attachment(
            String filename,
            String contentType,
            String disposition,
            boolean inline,
            String contentId,
            long size,
            String sha256,
            String ref) {}

    /**
     * Parsed authentication results.
     *
     * @param spf the SPF verdict (pass, fail, softfail, neutral, none, temperror, permerror) or null
     * @param dkim the first DKIM verdict or null
     * @param dmarc the DMARC verdict or null
     * @param results every Authentication-Results header, decoded
     */
    public record Authentication(String spf, String dkim, String dmarc, List<String> results) {}

    /**
     * One header field.
     *
     * @param name the field name as written
     * @param raw the field body as written, unfolded
     * @param decoded the field body with RFC 2047 encoded words decoded
     */
    public record Header(String name, String raw, String decoded) {}

    /**
     * Something malformed in the message and what mailpipe did about it.
     *
     * @param code a stable identifier, e.g. {@code unknown-charset}
     * @param part where: {@code message}, or the part path such as {@code 1.2}
     * @param detail a sentence for people
     */
    public record Defect(String code, String part, String detail) {}
}
