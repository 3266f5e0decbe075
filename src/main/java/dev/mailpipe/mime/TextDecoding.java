package dev.mailpipe.mime;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.Optional;

/**
 * Bytes to Unicode for mail: the declared charset when it exists (bad bytes replaced), else UTF-8
 * when the bytes are valid UTF-8, else windows-1252 (what unlabeled 8-bit mail almost always is).
 * US-ASCII is the exception: 8-bit text labeled US-ASCII is mislabeled, so it takes the fallbacks.
 */
final class TextDecoding {

    /** A decoded text and how it was decoded. */
    record Decoded(String text, String charset, Optional<String> problem) {}

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private TextDecoding() {}

    static Decoded decode(byte[] bytes, String declared) {
        Optional<Charset> charset = charset(declared);
        if (charset.isPresent()) {
            Optional<String> strict = strict(bytes, charset.get());
            if (strict.isPresent()) {
                return new Decoded(strict.get(), charset.get().name(), Optional.empty());
            }
            if (!charset.get().equals(StandardCharsets.US_ASCII)) {
                // A declared charset with a few bad bytes: keep the charset, mark what could not be read.
                return new Decoded(
                        new String(bytes, charset.get()),
                        charset.get().name(),
                        Optional.of("bytes are not valid " + charset.get().name() + "; replaced them with U+FFFD"));
            }
        }
        String problem = charset.isEmpty()
                ? (declared == null ? null : "unknown charset '" + declared + "'")
                : "bytes are not valid " + charset.get().name();
        Optional<String> utf8 = strict(bytes, StandardCharsets.UTF_8);
        if (utf8.isPresent()) {
            return new Decoded(utf8.get(), "UTF-8", Optional.ofNullable(problem).map(p -> p + "; decoded as UTF-8"));
        }
        String fallback = new String(bytes, WINDOWS_1252);
        return new Decoded(
                fallback,
                WINDOWS_1252.name(),
                Optional.of(
                        (problem == null ? "8-bit text without a charset" : problem) + "; decoded as windows-1252"));
    }

    /** The charset a MIME name denotes; empty for absent, illegal or unknown names. */
    static Optional<Charset> charset(String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        String cleaned = name.trim().replace("\"", "").toLowerCase(Locale.ROOT);
        try {
            return Optional.of(Charset.forName(cleaned));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> strict(byte[] bytes, Charset charset) {
        try {
            return Optional.of(charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
