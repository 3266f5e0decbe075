package dev.mailpipe.runner;

import dev.mailpipe.config.Settings;
import dev.mailpipe.mailbox.MailboxEndpoint;
import dev.mailpipe.mailbox.MailboxSettings;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailbox routes made from the route template {@value #TEMPLATE}. The default mailbox (the
 * {@code mailbox.*} settings, declared without a {@code host}, {@code provider} or {@code username}
 * parameter) runs when {@code mailbox.host} is set, or {@code mailbox.provider} and {@code
 * mailbox.username} are; when it is not and other mailboxes are declared, only they run. Once
 * started, each mailbox is named in one line with its sinks.
 */
public final class MailboxRoutes extends MainListenerSupport {

    /** The id of the shipped route template every mailbox route is made from. */
    public static final String TEMPLATE = "mailbox";

    private static final Logger LOG = LoggerFactory.getLogger(MailboxRoutes.class);

    @Override
    public void afterConfigure(BaseMainSupport main) {
        dropUnconfiguredDefault(main.getCamelContext());
    }

    @Override
    public void afterStart(BaseMainSupport main) {
        describe(main.getCamelContext());
    }

    /** Removes the default mailbox's route when it is not configured and another mailbox is declared. */
    public static void dropUnconfiguredDefault(CamelContext context) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        List<RouteDefinition> mailboxes = model.getRouteDefinitions().stream()
                .filter(MailboxRoutes::isMailbox)
                .toList();
        List<RouteDefinition> defaults =
                mailboxes.stream().filter(MailboxRoutes::isDefaultMailbox).toList();
        boolean configured = isSet(context, MailboxSettings.HOST)
                || (isSet(context, MailboxSettings.PROVIDER) && isSet(context, MailboxSettings.USERNAME));
        if (configured || defaults.isEmpty()) {
            return;
        }
        if (mailboxes.size() == defaults.size()) {
            throw Settings.invalid(
                    MailboxSettings.HOST,
                    "is not set (nor " + MailboxSettings.PROVIDER + " with " + MailboxSettings.USERNAME
                            + "), and routes/ declare no other mailbox (see README, Many mailboxes)");
        }
        try {
            model.removeRouteDefinitions(defaults);
        } catch (Exception e) {
            throw new IllegalStateException("cannot leave out the default mailbox's route", e);
        }
        LOG.debug("mailbox.host is not set: only the declared mailboxes run");
    }

    private static boolean isSet(CamelContext context, String key) {
        return !context.resolvePropertyPlaceholders("{{" + key + ":}}").isBlank();
    }

    /** Declared without a server or account of its own: the mailbox the mailbox.* settings describe. */
    private static boolean isDefaultMailbox(RouteDefinition route) {
        Map<String, Object> parameters = route.getTemplateParameters();
        return List.of("host", "provider", "username").stream().allMatch(name -> {
            Object value = parameters.get(name);
            return value == null || value.toString().isBlank();
        });
    }

    static boolean isMailbox(RouteDefinition route) {
        Map<String, Object> parameters = route.getTemplateParameters();
        return route.isCreatedFromTemplate() && parameters != null && parameters.containsKey("filesDir");
    }

    /** One line per mailbox: where its mail goes. */
    public static void describe(CamelContext context) {
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint() instanceof MailboxEndpoint mailbox) {
                LOG.info("Mailbox {} (route {}): {}", mailbox.mailbox(), route.getRouteId(), sinks(context, route));
            }
        }
    }

    private static String sinks(CamelContext context, Route route) {
        RouteDefinition definition =
                context.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinition(route.getRouteId());
        Map<String, Object> parameters = definition == null ? null : definition.getTemplateParameters();
        if (parameters == null) {
            return "route not made from the mailbox template";
        }
        // Absolute: a relative folder is relative to wherever the service was started from.
        StringBuilder sinks = new StringBuilder("files in "
                + java.nio.file.Path.of(value(context, parameters, "filesDir"))
                        .toAbsolutePath()
                        .normalize());
        String brokers = context.resolvePropertyPlaceholders("{{sink.kafka.brokers:}}");
        if (!brokers.isBlank()) {
            sinks.append(", Kafka topic ")
                    .append(value(context, parameters, "kafkaTopic"))
                    .append(" at ")
                    .append(brokers);
        }
        String imapHost = value(context, parameters, "imapHost");
        if (!imapHost.isBlank()) {
            sinks.append(", IMAP folder ")
                    .append(value(context, parameters, "imapFolder"))
                    .append(" of ")
                    .append(value(context, parameters, "imapUsername"))
                    .append('@')
                    .append(imapHost);
        }
        return sinks.toString();
    }

    private static String value(CamelContext context, Map<String, Object> parameters, String name) {
        Object value = parameters.get(name);
        return value == null ? "" : context.resolvePropertyPlaceholders(value.toString());
    }
}
