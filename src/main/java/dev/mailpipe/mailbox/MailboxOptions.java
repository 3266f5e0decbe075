package dev.mailpipe.mailbox;

import dev.mailpipe.config.ConfigurationException;
import dev.mailpipe.config.Settings;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.spi.PropertyConfigurerGetter;
import org.apache.camel.support.PluginHelper;

/**
 * A mailbox endpoint's settings from its options: the component's defaults (the global {@code
 * mailbox.*} settings, read once into a {@link MailboxConfiguration}) are copied, those that must not
 * fall back are cleared ({@link MailboxOptionGroups}), the endpoint's own options are applied, and
 * {@link MailboxSettings#from} checks the result. Options are bound by the configurer Camel's tooling
 * generates from {@link MailboxConfiguration}.
 */
final class MailboxOptions {

    private static final String PASSWORD_ENV = MailboxComponent.PASSWORD_ENV;

    private final Settings defaults;
    private Function<String, String> environment = System::getenv;
    private MailboxConfiguration globalOptions;
    private PropertyConfigurer optionBinder;

    MailboxOptions(Settings defaults) {
        this.defaults = defaults;
    }

    void setEnvironment(Function<String, String> environment) {
        this.environment = environment;
    }

    /** The component's defaults: the global {@code mailbox.*} settings, read once. */
    private synchronized MailboxConfiguration defaults(CamelContext context) {
        if (globalOptions == null) {
            MailboxConfiguration options = new MailboxConfiguration();
            for (String option : MailboxConfiguration.OPTIONS) {
                if (!MailboxOptionGroups.PER_MAILBOX_ONLY.contains(option)) {
                    defaults.optional(MailboxConfiguration.settingOf(option))
                            .ifPresent(value -> set(context, options, option, value));
                }
            }
            globalOptions = options;
        }
        return globalOptions;
    }

    /** Takes the endpoint's mailbox options out of its parameters; what is left is camel-mail's. */
    MailboxConfiguration take(CamelContext context, Map<String, Object> parameters) {
        MailboxConfiguration own = new MailboxConfiguration();
        for (String option : MailboxConfiguration.OPTIONS) {
            Object value = parameters.remove(option);
            if (value != null) {
                set(context, own, option, value.toString());
            }
        }
        return own;
    }

    /**
     * The endpoint's mailbox settings, checked: a copy of the component's defaults without those that
     * must not fall back ({@link MailboxOptionGroups}), with the endpoint's own options applied.
     */
    MailboxSettings settings(CamelContext context, String host, MailboxConfiguration ownOptions) {
        Map<String, String> own = new HashMap<>();
        if (host != null && !host.isBlank()) {
            own.put("host", host.strip());
        }
        for (String option : MailboxConfiguration.OPTIONS) {
            String value = get(context, ownOptions, option);
            if (value != null && !value.isBlank()) {
                own.put(option, value);
            }
        }
        if (own.containsKey(PASSWORD_ENV)) {
            own.put("password", fromEnvironment(own.get(PASSWORD_ENV).strip(), describe(own)));
        }
        Optional<MailboxProvider> globalProvider = MailboxProvider.of(defaults);
        // The default mailbox's server: mailbox.host, else the global provider's.
        Optional<String> defaultHost =
                defaults.optional(MailboxSettings.HOST).or(() -> globalProvider.map(MailboxProvider::host));
        Set<String> noFallback = MailboxOptionGroups.withoutFallback(own, globalProvider, defaultHost);
        MailboxConfiguration options = defaults(context).copy();
        for (String option : noFallback) {
            if (MailboxConfiguration.OPTIONS.contains(option)) {
                set(context, options, option, null);
            }
        }
        own.forEach((option, value) -> {
            if (MailboxConfiguration.OPTIONS.contains(option)) {
                set(context, options, option, value);
            }
        });
        Settings settings = new Settings(key -> {
            if (key.equals(MailboxSettings.HOST)) {
                // The path, not an option: a provider's preset supplies it when the endpoint names none.
                return Optional.ofNullable(own.get("host"))
                        .or(() -> noFallback.contains("host") ? Optional.empty() : defaults.optional(key));
            }
            String option = MailboxConfiguration.optionOf(key);
            return MailboxConfiguration.OPTIONS.contains(option)
                    ? Optional.ofNullable(get(context, options, option))
                    : defaults.optional(key);
        });
        try {
            return MailboxSettings.from(settings);
        } catch (ConfigurationException e) {
            throw new ConfigurationException(
                    describe(own) + ": " + e.getMessage()
                            + " (or the parameter of its route, without the 'mailbox.' prefix)",
                    e);
        }
    }

    /** Sets an option through the binder Camel's tooling generates from {@link MailboxConfiguration}. */
    private void set(CamelContext context, MailboxConfiguration options, String option, String value) {
        optionBinder(context).configure(context, options, option, value, false);
    }

    private String get(CamelContext context, MailboxConfiguration options, String option) {
        return (String) ((PropertyConfigurerGetter) optionBinder(context)).getOptionValue(options, option, false);
    }

    /** The generated binder of {@link MailboxConfiguration}, found as Camel finds every configurer. */
    private synchronized PropertyConfigurer optionBinder(CamelContext context) {
        if (optionBinder == null) {
            PropertyConfigurer found = PluginHelper.getConfigurerResolver(context)
                    .resolvePropertyConfigurer(MailboxConfiguration.class.getName(), context);
            if (!(found instanceof PropertyConfigurerGetter)) {
                throw new IllegalStateException("The generated configurer of " + MailboxConfiguration.class.getName()
                        + " is missing: build with mvn, which runs camel-package-maven-plugin");
            }
            optionBinder = found;
        }
        return optionBinder;
    }

    /**
     * The password from the environment variable a mailbox names ({@code passwordEnv}), taken as
     * written: unlike a {@code {{env:NAME}}} placeholder, its value never passes through the
     * endpoint URI, where characters such as {@code &} or {@code {{} would change its meaning.
     */
    private String fromEnvironment(String variable, String mailbox) {
        String value = environment.apply(variable);
        if (value == null || value.isBlank()) {
            throw new ConfigurationException(mailbox + ": " + PASSWORD_ENV + " names the environment" + " variable "
                    + variable + ", which is not set");
        }
        return value;
    }

    /** The mailbox as its route declares it: several mailboxes may share a host, so the user too. */
    private static String describe(Map<String, String> own) {
        String user = own.containsKey("username") ? own.get("username") + "@" : "";
        String server =
                own.containsKey("host") ? own.get("host") : own.containsKey("provider") ? own.get("provider") : "";
        return server.isEmpty() && user.isEmpty() ? "Mailbox" : "Mailbox " + user + server;
    }
}
