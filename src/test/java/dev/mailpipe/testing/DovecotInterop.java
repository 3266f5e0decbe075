package dev.mailpipe.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Dovecot for a test class ({@code @RegisterExtension static final DovecotInterop dovecot = new
 * DovecotInterop()}): started before its tests with {@link TestMailServer}'s user, or the tests
 * skipped when Dovecot is not installed; stopped after them.
 */
public final class DovecotInterop implements BeforeAllCallback, AfterAllCallback {

    private DovecotServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = DovecotServer.startForInterop(TestMailServer.USER, TestMailServer.PASSWORD);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.close();
        }
    }

    public DovecotServer server() {
        return server;
    }
}
