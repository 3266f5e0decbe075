package dev.mailpipe.ops;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keeps slow and idle clients from holding the management endpoints: a request's line and headers
 * must arrive within {@link #REQUEST_DEADLINE} of the connection (or, on a kept-alive connection,
 * of the request's first byte); a connection between requests is
 * closed after {@link #KEEP_ALIVE_IDLE}; and at most {@link #MAX_CONNECTIONS} stay open, a new one
 * shedding the oldest connection idle after an answer first, then the oldest that has not yet sent
 * a whole request (never one being answered). A probe sends its request at once, so it is the
 * youngest of those and gets in. One instance, shared by every connection's pipeline.
 */
@ChannelHandler.Sharable
final class ConnectionGuard extends ChannelDuplexHandler {

    /** Time from a request's first byte to its last header: generous for a probe on any network. */
    static final Duration REQUEST_DEADLINE = Duration.ofSeconds(5);
    /** Time a kept-alive connection may wait for its next request (Prometheus scrapes every 15-60 s). */
    static final Duration KEEP_ALIVE_IDLE = Duration.ofSeconds(75);
    /** Open connections at most: far more than probes and scrapers need. */
    static final int MAX_CONNECTIONS = 256;

    private enum State {
        /** Between requests after an answer, nothing received. */
        IDLE,
        /** Waiting for a whole request: connected, or part of a request received. */
        READING,
        /** A whole request received, its answer not yet written. */
        ANSWERING
    }

    /** Open connections, oldest first, with their state; touched on the event loop only. */
    private final Map<Channel, State> open = new LinkedHashMap<>();
    /** Each connection's pending close (deadline or idle limit). */
    private final Map<Channel, ScheduledFuture<?>> timers = new LinkedHashMap<>();

    private final int maxConnections;
    private final Duration requestDeadline;
    private final Duration keepAliveIdle;

    ConnectionGuard() {
        this(MAX_CONNECTIONS, REQUEST_DEADLINE, KEEP_ALIVE_IDLE);
    }

    ConnectionGuard(int maxConnections, Duration requestDeadline, Duration keepAliveIdle) {
        this.maxConnections = maxConnections;
        this.requestDeadline = requestDeadline;
        this.keepAliveIdle = keepAliveIdle;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        Channel channel = ctx.channel();
        if (open.size() >= maxConnections) {
            shedOne();
        }
        open.put(channel, State.READING);
        closeAfter(ctx, requestDeadline);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        Channel channel = ctx.channel();
        if (open.get(channel) == State.IDLE) {
            open.put(channel, State.READING);
            closeAfter(ctx, requestDeadline);
        }
        super.channelRead(ctx, msg);
    }

    /** The decoder has a whole request: its deadline is met; the answer is on its way. */
    void requestComplete(ChannelHandlerContext ctx) {
        open.computeIfPresent(ctx.channel(), (channel, state) -> State.ANSWERING);
        cancelTimer(ctx.channel());
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse) {
            promise.addListener(written -> {
                if (ctx.channel().isOpen()) {
                    open.computeIfPresent(ctx.channel(), (channel, state) -> State.IDLE);
                    closeAfter(ctx, keepAliveIdle);
                }
            });
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        open.remove(ctx.channel());
        cancelTimer(ctx.channel());
        super.channelInactive(ctx);
    }

    /** Open connections now (for tests). */
    int openConnections() {
        return open.size();
    }

    private void shedOne() {
        for (State victim : new State[] {State.IDLE, State.READING}) {
            for (Iterator<Map.Entry<Channel, State>> it = open.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Channel, State> entry = it.next();
                if (entry.getValue() == victim) {
                    it.remove();
                    cancelTimer(entry.getKey());
                    entry.getKey().close();
                    return;
                }
            }
        }
    }

    private void closeAfter(ChannelHandlerContext ctx, Duration delay) {
        cancelTimer(ctx.channel());
        timers.put(
                ctx.channel(),
                ctx.executor().schedule(() -> ctx.channel().close(), delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    private void cancelTimer(Channel channel) {
        ScheduledFuture<?> timer = timers.remove(channel);
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
