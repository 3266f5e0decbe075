package dev.mailpipe.ops;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management endpoints camel-main users know ({@link ManagementEndpoints}), on {@code
 * management.host}:{@code management.port}, served by Netty: one event-loop thread reads every
 * connection without waiting on any, so a client that sends half a request or a byte a second holds
 * no thread, and {@link ConnectionGuard} closes it at its deadline; answers are computed on two
 * threads from Camel's ExecutorServiceManager (a health check never runs on the event loop).
 * Request lines over 4 KB get 414, headers over 16 KB 431, bodies over 64 KB 413.
 * camel-platform-http-main, which would serve these paths, is not available at Camel 4.22.0.
 */
public final class ManagementServer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
    static final int MAX_REQUEST_LINE = 4 * 1024;
    static final int MAX_HEADERS = 16 * 1024;
    static final int MAX_BODY = 64 * 1024;

    private final CamelContext context;
    private final ManagementSettings settings;
    private final ManagementEndpoints endpoints;
    private ExecutorService eventLoopThread;
    private ExecutorService answers;
    private EventLoopGroup eventLoop;
    private Channel listener;

    public ManagementServer(CamelContext context, ManagementSettings settings, MetricsService metrics) {
        this.context = context;
        this.settings = settings;
        this.endpoints = new ManagementEndpoints(context, metrics);
    }

    @Override
    protected void doStart() throws Exception {
        eventLoopThread = context.getExecutorServiceManager().newSingleThreadExecutor(this, "management-io");
        // One thread serves the listener and every connection, so ConnectionGuard's books need no lock.
        eventLoop = new MultiThreadIoEventLoopGroup(1, eventLoopThread, NioIoHandler.newFactory());
        answers = context.getExecutorServiceManager().newFixedThreadPool(this, "management", 2);
        ConnectionGuard guard = new ConnectionGuard();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(eventLoop)
                .channel(NioServerSocketChannel.class)
                // Room in the accept queue for every client that comes back after being shed, so a
                // probe's connect is queued, not dropped (the kernel caps it at net.core.somaxconn).
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast(guard)
                                .addLast(new HttpServerCodec(MAX_REQUEST_LINE, MAX_HEADERS, 8192))
                                .addLast(new HttpObjectAggregator(MAX_BODY))
                                .addLast(new Requests(guard));
                    }
                });
        listener = bootstrap
                .bind(new InetSocketAddress(settings.host(), settings.port()))
                .sync()
                .channel();
        LOG.info(
                "Management endpoints at http://{}:{}/observe/health, .../health/live, .../health/ready and"
                        + " .../metrics",
                settings.host(),
                port());
    }

    @Override
    protected void doStop() throws Exception {
        if (listener != null) {
            listener.close().sync();
        }
        if (eventLoop != null) {
            eventLoop
                    .shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS)
                    .sync();
        }
        if (answers != null) {
            context.getExecutorServiceManager().shutdown(answers);
        }
        if (eventLoopThread != null) {
            context.getExecutorServiceManager().shutdown(eventLoopThread);
        }
    }

    /** The port the endpoints listen on (the configured one, once started). */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Hands each whole request to an answer thread and writes the answer back on its connection. */
    private final class Requests extends SimpleChannelInboundHandler<FullHttpRequest> {

        private final ConnectionGuard guard;

        Requests(ConnectionGuard guard) {
            this.guard = guard;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            guard.requestComplete(ctx);
            if (request.decoderResult().isFailure()) {
                Throwable cause = request.decoderResult().cause();
                HttpResponseStatus status = cause instanceof TooLongHttpHeaderException
                        ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                        : cause instanceof TooLongHttpLineException || cause instanceof TooLongFrameException
                                ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                                : HttpResponseStatus.BAD_REQUEST;
                write(
                        ctx,
                        new ManagementEndpoints.Response(
                                status.code(), "text/plain; charset=utf-8", status.reasonPhrase() + "\n", null),
                        false,
                        false);
                return;
            }
            String method = request.method().name();
            String path = new QueryStringDecoder(request.uri()).path();
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            try {
                answers.execute(() -> write(ctx, endpoints.answer(method, path), method.equals("HEAD"), keepAlive));
            } catch (RejectedExecutionException e) {
                // Stopping: the connection closes without an answer.
                ctx.close();
            }
        }

        private void write(
                ChannelHandlerContext ctx, ManagementEndpoints.Response answer, boolean head, boolean keepAlive) {
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(answer.status()),
                    head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            if (answer.allow() != null) {
                response.headers().set(HttpHeaderNames.ALLOW, answer.allow());
            }
            if (!keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            var written = ctx.writeAndFlush(response);
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A client that resets its connection is no news.
            LOG.debug("Management connection failed: {}", cause.toString());
            ctx.close();
        }
    }
}
