package dev.mailpipe.testing;

import dev.mailpipe.mailbox.MailboxComponent;
import dev.mailpipe.mailbox.MailboxStatus;
import dev.mailpipe.runner.MailboxRoutes;
import dev.mailpipe.runner.MailpipeBeans;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;

/**
 * Route tests run the shipped YAML from {@code routes/} (not a copy) with mailpipe's own beans,
 * against servers on loopback; each test chooses its settings before starting the context.
 */
public abstract class MailpipeRouteTestSupport extends CamelTestSupport {

    /** The project folder, where {@code routes/} lives (surefire sets it; IDEs run from it). */
    protected static final Path PROJECT_DIR = Path.of(System.getProperty("mailpipe.project.dir", "."));

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withUseAdviceWith(true).withUseRouteBuilder(false);
    }

    /**
     * Settings for the test account over plain POP3 on {@code port} (GreenMail or a proxy in front
     * of it), storing under {@code dir}/out with the ledger in {@code dir}/ledger; add to taste.
     */
    protected static Map<String, String> plainPop3Settings(int port, Path dir) {
        Map<String, String> settings = new java.util.HashMap<>();
        settings.put("mailbox.protocol", "pop3");
        settings.put("mailbox.host", "localhost");
        settings.put("mailbox.port", Integer.toString(port));
        settings.put("mailbox.username", TestMailServer.USER);
        settings.put("mailbox.password", TestMailServer.PASSWORD);
        settings.put("sink.files.dir", dir.resolve("out").toString());
        settings.put("ledger.dir", dir.resolve("ledger").toString());
        return settings;
    }

    /**
     * Waits until the route's consumer has ended {@code polls} more polls than when called: proof
     * that a test's "nothing happened" spans real polls, not just time.
     */
    protected void awaitMorePolls(int polls) {
        MailboxStatus status = mailboxStatus();
        long target = status.polls().pollsEnded() + polls;
        org.awaitility.Awaitility.await()
                .dontCatchUncaughtExceptions()
                .atMost(java.time.Duration.ofSeconds(60))
                .until(() -> status.polls().pollsEnded() >= target);
    }

    /** The status of the test's one mailbox. */
    protected MailboxStatus mailboxStatus() {
        List<MailboxStatus> statuses = context.getRegistry()
                .lookupByNameAndType(MailboxComponent.SCHEME, MailboxComponent.class)
                .statuses();
        if (statuses.size() != 1) {
            throw new IllegalStateException("expected one mailbox, found " + statuses.size());
        }
        return statuses.get(0);
    }

    /** Applies the settings over the bundled defaults, binds mailpipe's beans, loads the route and starts. */
    protected void startRoute(String routeFile, Map<String, String> settings) throws Exception {
        startRoute(routeFile, settings, loaded -> {});
    }

    /** Work on the loaded routes before the context starts, such as an AdviceWith. */
    @FunctionalInterface
    protected interface BeforeStart {
        void accept(org.apache.camel.CamelContext context) throws Exception;
    }

    /** As {@link #startRoute(String, Map)}, with {@code beforeStart} run on the loaded routes first. */
    protected void startRoute(String routeFile, Map<String, String> settings, BeforeStart beforeStart)
            throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        properties.setLocation("classpath:application.properties");
        settings.forEach(properties::addOverrideProperty);
        if (!settings.containsKey("ledger.dir")) {
            properties.addOverrideProperty(
                    "ledger.dir", Files.createTempDirectory("mailpipe-ledger-").toString());
        }
        new MailpipeBeans().configure(context);
        // The shared route configuration (error handling) applies to every route, as in production.
        for (String file : List.of("mailpipe-errors.camel.yaml", "mailbox.camel.yaml", routeFile)) {
            PluginHelper.getRoutesLoader(context)
                    .loadRoutes(PluginHelper.getResourceLoader(context)
                            .resolveResource(
                                    "file:" + PROJECT_DIR.resolve("routes").resolve(file)));
        }
        MailboxRoutes.dropUnconfiguredDefault(context);
        beforeStart.accept(context);
        context.start();
    }
}
