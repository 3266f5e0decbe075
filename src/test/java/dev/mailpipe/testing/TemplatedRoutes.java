package dev.mailpipe.testing;

import java.util.Map;

/** YAML that declares mailboxes the way users do: {@code templatedRoute} entries of the route template {@code mailbox}. */
public final class TemplatedRoutes {

    private TemplatedRoutes() {}

    /** One mailbox: route {@code routeId} made from the template with {@code parameters} (name to value, in order). */
    public static String mailbox(String routeId, Map<String, String> parameters) {
        StringBuilder yaml = new StringBuilder()
                .append("- templatedRoute:\n")
                .append("    routeTemplateRef: mailbox\n")
                .append("    routeId: ")
                .append(routeId)
                .append("\n    parameters:\n");
        parameters.forEach((name, value) -> yaml.append("      - name: ")
                .append(name)
                .append("\n        value: \"")
                .append(value.replace("\\", "\\\\").replace("\"", "\\\""))
                .append("\"\n"));
        return yaml.toString();
    }
}
