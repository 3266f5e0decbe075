package dev.mailpipe.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * Contender (b): the route a newcomer writes with stock camel-mail, {@code pop3s} with
 * {@code delete=true} into {@code file:}, run by camel-main. The JVM trusts the test CA through
 * {@code -Djavax.net.ssl.trustStore}, the usual way. It runs until stopped.
 *
 * <p>{@code StockCamelDrain HOST PORT USER PASSWORD_FILE OUT_DIR}
 */
public final class StockCamelDrain {

    private StockCamelDrain() {}

    public static void main(String[] args) throws Exception {
        String password = Files.readString(Path.of(args[3])).strip();
        String from = "pop3s://" + args[0] + ":" + args[1] + "?username=" + args[2] + "&password=RAW(" + password
                + ")&delete=true";
        String to = "file:" + Path.of(args[4]).toAbsolutePath();
        Main main = new Main();
        // Not mailpipe's application.properties, which is on this class path too.
        main.setDefaultPropertyPlaceholderLocation("false");
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from(from).to(to);
            }
        });
        main.run();
    }
}
