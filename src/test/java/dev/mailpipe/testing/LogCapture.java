package dev.mailpipe.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;

/** Records every log event of the test JVM while open, to assert on what users would see in the log. */
public final class LogCapture extends AbstractAppender implements AutoCloseable {

    /**
     * One recorded event: level, logger, formatted message, and the messages of the attached
     * exception chain (empty when no stack trace was logged).
     */
    public record Line(Level level, String logger, String message, String stackTrace) {
        public boolean hasStackTrace() {
            return !stackTrace.isEmpty();
        }

        @Override
        public String toString() {
            return level + " " + logger + " - " + message + (hasStackTrace() ? " [stack trace]" : "");
        }
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private LogCapture() {
        super("capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
    }

    public static LogCapture begin() {
        LogCapture capture = new LogCapture();
        capture.start0();
        return capture;
    }

    private void start0() {
        start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        configuration.getRootLogger().addAppender(this, Level.ALL, null);
        context.updateLoggers();
    }

    @Override
    public void append(LogEvent event) {
        lines.add(new Line(
                event.getLevel(),
                event.getLoggerName(),
                event.getMessage().getFormattedMessage(),
                chainText(event.getThrown())));
    }

    private static String chainText(Throwable thrown) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = thrown; t != null && text.length() < 100_000; t = t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The lines, message or stack trace, that contain any of {@code secrets}. */
    public static List<Line> containingAny(List<Line> lines, java.util.Collection<String> secrets) {
        return lines.stream()
                .filter(line -> secrets.stream()
                        .anyMatch(secret -> line.message().contains(secret)
                                || line.stackTrace().contains(secret)))
                .toList();
    }

    /**
     * An access token as it travels in SASL XOAUTH2 (RFC 7628 framing, base64): what a protocol
     * trace would show instead of the token itself.
     */
    public static String xoauth2Response(String user, String accessToken) {
        return java.util.Base64.getEncoder()
                .encodeToString(("user=" + user + "\u0001auth=Bearer " + accessToken + "\u0001\u0001")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public List<Line> atLeast(Level level) {
        return lines.stream().filter(l -> l.level().isMoreSpecificThan(level)).toList();
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        configuration.getRootLogger().removeAppender(getName());
        context.updateLoggers();
        stop();
    }
}
