package dev.mailpipe.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Deadlines and the connection cap of the management endpoints, on Netty's in-memory channels. */
class ConnectionGuardTest {

    private final ConnectionGuard guard = new ConnectionGuard(2, Duration.ofSeconds(5), Duration.ofSeconds(75));

    private EmbeddedChannel connect() {
        return new EmbeddedChannel(guard);
    }

    private static void send(EmbeddedChannel channel, String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
    }

    @Test
    void aRequestMustBeWholeWithinItsDeadlineFromTheConnection() {
        EmbeddedChannel slow = connect();
        send(slow, "GET /observe/health/live HTTP/1.1\r\n");
        slow.advanceTimeBy(4, TimeUnit.SECONDS);
        send(slow, "H");
        slow.runScheduledPendingTasks();
        assertThat(slow.isOpen()).as("trickling does not extend the deadline").isTrue();
        slow.advanceTimeBy(1, TimeUnit.SECONDS);
        slow.runScheduledPendingTasks();
        assertThat(slow.isOpen()).isFalse();
    }

    @Test
    void anAnsweredConnectionWaitsForItsNextRequestUpToTheIdleLimit() {
        EmbeddedChannel client = connect();
        send(client, "GET / HTTP/1.1\r\n\r\n");
        guard.requestComplete(client.pipeline().firstContext());
        client.advanceTimeBy(10, TimeUnit.SECONDS);
        client.runScheduledPendingTasks();
        assertThat(client.isOpen()).as("an answer on its way has no deadline").isTrue();
        client.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        client.advanceTimeBy(74, TimeUnit.SECONDS);
        client.runScheduledPendingTasks();
        assertThat(client.isOpen()).isTrue();
        client.advanceTimeBy(1, TimeUnit.SECONDS);
        client.runScheduledPendingTasks();
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAtTheDeadline() {
        EmbeddedChannel silent = connect();
        silent.advanceTimeBy(5, TimeUnit.SECONDS);
        silent.runScheduledPendingTasks();
        assertThat(silent.isOpen()).isFalse();
    }

    @Test
    void aNewConnectionAtTheCapShedsAnIdleOneFirstThenTheOldestUnfinished() {
        EmbeddedChannel answered = connect();
        send(answered, "GET / HTTP/1.1\r\n\r\n");
        guard.requestComplete(answered.pipeline().firstContext());
        answered.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        EmbeddedChannel slow = connect();
        send(slow, "GET /");
        EmbeddedChannel probe = connect();
        assertThat(answered.isOpen()).as("idle after its answer: shed first").isFalse();
        assertThat(slow.isOpen() && probe.isOpen()).isTrue();
        EmbeddedChannel next = connect();
        assertThat(slow.isOpen()).as("then the oldest without a whole request").isFalse();
        assertThat(probe.isOpen() && next.isOpen()).as("the youngest stay").isTrue();
        assertThat(guard.openConnections()).isEqualTo(2);
    }
}
