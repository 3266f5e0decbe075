package dev.mailpipe.mime;

/**
 * A pre-check before Angus Mail's address parser, which is quadratic on unclosed delimiters: in
 * lenient mode it reads from each unclosed {@code (}, {@code "}, {@code [} or {@code <} to the end,
 * then starts again one character later. A list where every delimiter closes (as Angus pairs them)
 * is read in one pass; only a short unclosed one is worth the rescans.
 */
final class AddressSyntax {

    /** Up to this length an unclosed list is parsed anyway: the rescans cost at most a million steps. */
    static final int MAX_UNCLOSED_CHARS = 1_000;

    private AddressSyntax() {}

    /** Whether Angus reads {@code list} in time linear in its length. */
    static boolean readsInOnePass(String list) {
        if (list.length() <= MAX_UNCLOSED_CHARS) {
            return true;
        }
        for (int i = 0; i < list.length(); i++) {
            i = switch (list.charAt(i)) {
                case '(' -> commentEnd(list, i);
                case '"' -> closing(list, i, '"');
                case '[' -> closing(list, i, ']');
                case '<' -> angleEnd(list, i);
                default -> i;
            };
            if (i < 0) {
                return false;
            }
        }
        return true;
    }

    /** The index of the parenthesis closing the comment opened at {@code open}, nested ones counted; -1 if none. */
    private static int commentEnd(String list, int open) {
        int nesting = 1;
        for (int i = open + 1; i < list.length(); i++) {
            switch (list.charAt(i)) {
                case '\\' -> i++;
                case '(' -> nesting++;
                case ')' -> {
                    if (--nesting == 0) {
                        return i;
                    }
                }
                default -> {}
            }
        }
        return -1;
    }

    /** The index of {@code close} after {@code open}, skipping backslash escapes; -1 if none. */
    private static int closing(String list, int open, char close) {
        for (int i = open + 1; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == close) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the {@code >} closing the route address at {@code open}, outside quotes; -1 if none. */
    private static int angleEnd(String list, int open) {
        boolean quoted = false;
        for (int i = open + 1; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }
}
