package dev.mailpipe.check;

import dev.mailpipe.config.Settings;
import dev.mailpipe.imap.ImapAppendComponent;
import dev.mailpipe.imap.ImapAppendEndpoint;
import dev.mailpipe.kafka.KafkaSettings;
import dev.mailpipe.ledger.LedgerSettings;
import dev.mailpipe.mailbox.MailboxEndpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

/**
 * What a check looks at, read from the loaded routes: each mailbox with its route's sinks, and each
 * sink once (a folder, a Kafka cluster or an IMAP account several mailboxes share is checked once).
 */
final class CheckPlan {

    final List<MailboxProbe> mailboxes = new ArrayList<>();
    /** Each files folder, with the mailboxes that store there (their mail waiting must fit). */
    final Map<Path, List<MailboxProbe>> folders = new LinkedHashMap<>();

    final Map<String, ImapProbe> imap = new LinkedHashMap<>();
    Optional<KafkaProbe> kafka = Optional.empty();
    LedgerProbe ledger;

    static CheckPlan of(CamelContext context, Settings settings) {
        CheckPlan plan = new CheckPlan();
        KafkaSettings kafka = KafkaSettings.from(settings);
        Set<String> topics = new LinkedHashSet<>();
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        for (Route route : context.getRoutes()) {
            if (!(route.getEndpoint() instanceof MailboxEndpoint endpoint)) {
                continue;
            }
            RouteDefinition definition = model.getRouteDefinition(route.getRouteId());
            Map<String, Object> parameters = definition == null ? null : definition.getTemplateParameters();
            List<String> sinks = new ArrayList<>();
            MailboxProbe probe = new MailboxProbe(route.getRouteId(), endpoint, sinks);
            plan.mailboxes.add(probe);
            if (parameters == null || !parameters.containsKey("filesDir")) {
                sinks.add("not checked (route not made from the mailbox template)");
                continue;
            }
            Path folder = Path.of(value(context, parameters, "filesDir"))
                    .toAbsolutePath()
                    .normalize();
            sinks.add("files " + folder);
            plan.folders.computeIfAbsent(folder, f -> new ArrayList<>()).add(probe);
            if (kafka.enabled()) {
                String topic = value(context, parameters, "kafkaTopic");
                sinks.add("kafka " + topic);
                if (!topic.contains("${")) {
                    topics.add(topic);
                }
            }
            String imapHost = value(context, parameters, "imapHost");
            if (!imapHost.isBlank()) {
                ImapProbe imap = new ImapProbe(imapEndpoint(context, settings, parameters, imapHost));
                sinks.add("imap " + imap.subject());
                plan.imap.putIfAbsent(imap.subject(), imap);
            }
        }
        if (kafka.enabled()) {
            kafka.rawTopic().ifPresent(topics::add);
            kafka.deadLetterTopic().ifPresent(topics::add);
            plan.kafka = Optional.of(new KafkaProbe(kafka, topics));
        }
        plan.ledger = new LedgerProbe(LedgerSettings.located(settings));
        return plan;
    }

    /** The endpoint the route's {@code imap-append:} step makes for this mailbox, from the same settings. */
    private static ImapAppendEndpoint imapEndpoint(
            CamelContext context, Settings settings, Map<String, Object> parameters, String host) {
        ImapAppendComponent component = context.getComponent("imap-append", ImapAppendComponent.class);
        ImapAppendEndpoint endpoint = new ImapAppendEndpoint("imap-append:" + host, component);
        endpoint.setHost(host);
        endpoint.setPort((int) settings.number("sink.imap.port", 0, 0, 65_535));
        endpoint.setProtocol(settings.string("sink.imap.protocol", "imaps"));
        endpoint.setUsername(value(context, parameters, "imapUsername"));
        endpoint.setPassword(settings.string("sink.imap.password", ""));
        endpoint.setPasswordFile(value(context, parameters, "imapPasswordFile"));
        endpoint.setCaFile(settings.string("sink.imap.caFile", ""));
        endpoint.setStarttls(Boolean.parseBoolean(settings.string("sink.imap.starttls", "false")));
        endpoint.setFolder(value(context, parameters, "imapFolder"));
        return endpoint;
    }

    private static String value(CamelContext context, Map<String, Object> parameters, String name) {
        Object value = parameters.get(name);
        return value == null ? "" : context.resolvePropertyPlaceholders(value.toString());
    }
}
