package dev.mailpipe.imap;

import dev.mailpipe.common.TrustedCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * APPENDs each exchange's raw message, byte for byte, into a folder of an IMAP server; verified TLS
 * by default. Idempotent: a message an earlier APPEND put into the folder (same bytes) is not
 * appended again; with a {@link AppendJournal} it is looked for only when that may have happened.
 */
@UriEndpoint(
        firstVersion = "0.1.0",
        scheme = "imap-append",
        title = "IMAP Append",
        syntax = "imap-append:host",
        producerOnly = true,
        category = {Category.MAIL},
        headersClass = ImapAppendConstants.class)
public final class ImapAppendEndpoint extends DefaultEndpoint {

    @UriPath(description = "Host name of the IMAP server.")
    @Metadata(required = true)
    private String host;

    @UriParam(description = "Port; 0 means the protocol's default (993 for imaps, 143 for imap).", defaultValue = "0")
    private int port;

    @UriParam(
            description = "imaps (TLS from the first byte) or imap (plain, or STARTTLS).",
            defaultValue = "imaps",
            enums = "imap,imaps")
    private String protocol = "imaps";

    @UriParam(label = "security", description = "Login name.", secret = true)
    private String username;

    @UriParam(label = "security", description = "Password.", secret = true)
    private String password;

    @UriParam(
            label = "security",
            description =
                    "File holding the password (a trailing newline is ignored); used instead of password when set.")
    private String passwordFile;

    @UriParam(
            label = "security",
            description =
                    "PEM file of the CAs to trust instead of the JDK's. Certificates and host names are always verified.")
    private String caFile;

    @UriParam(
            label = "security",
            description = "imap only: require STARTTLS before logging in.",
            defaultValue = "false")
    private boolean starttls;

    @UriParam(
            description =
                    "Target folder, '/' between levels (the server's separator is used); may hold Simple expressions such as Archive/${date:now:yyyy}.",
            defaultValue = "INBOX")
    private String folder = "INBOX";

    @UriParam(
            description =
                    "Flags of the appended message, comma separated: \\\\Seen, \\\\Flagged, \\\\Answered, \\\\Draft or keywords.",
            defaultValue = "\\Seen")
    private String flags = "\\Seen";

    @UriParam(description = "Create (and subscribe) a missing target folder.", defaultValue = "true")
    private boolean createFolders = true;

    @UriParam(description = "Connect and read timeout in milliseconds.", defaultValue = "30000")
    private int timeout = 30_000;

    @UriParam(
            label = "advanced",
            description = "Durable record of each message's APPENDs (a bean): with it a message is looked for in the"
                    + " folder only when an earlier APPEND of it may have reached the server unseen; without it"
                    + " every message is looked for by a SEARCH first.")
    private AppendJournal journal;

    public ImapAppendEndpoint(String uri, ImapAppendComponent component) {
        super(uri, component);
    }

    @Override
    public Producer createProducer() {
        return new ImapAppendProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("imap-append only appends; use camel-mail's imap: to read");
    }

    /**
     * The password file first: a mailbox of the route template names its own IMAP account's file,
     * while the global {@code sink.imap.password} is passed to every mailbox's step.
     */
    public String password() throws IOException {
        if (getPasswordFile() != null && !getPasswordFile().isBlank()) {
            return Files.readString(Path.of(getPasswordFile()), java.nio.charset.StandardCharsets.UTF_8)
                    .strip();
        }
        if (getPassword() != null && !getPassword().isBlank()) {
            return getPassword();
        }
        return null;
    }

    /**
     * Angus session properties: verified TLS, the CA file when given, STARTTLS when required, the
     * timeout, sockets that send at once.
     */
    public Properties sessionProperties() {
        String prefix = "mail." + getProtocol() + ".";
        Properties properties = new Properties();
        properties.setProperty(prefix + "connectiontimeout", Integer.toString(getTimeout()));
        properties.setProperty(prefix + "timeout", Integer.toString(getTimeout()));
        properties.setProperty(prefix + "ssl.checkserveridentity", "true");
        if (isStarttls()) {
            properties.setProperty(prefix + "starttls.enable", "true");
            properties.setProperty(prefix + "starttls.required", "true");
        }
        SSLSocketFactory tls = getCaFile() != null && !getCaFile().isBlank()
                ? TrustedCertificates.socketFactoryTrusting(Path.of(getCaFile()), "caFile")
                : (SSLSocketFactory) SSLSocketFactory.getDefault();
        properties.put(prefix + "ssl.socketFactory", NoDelaySockets.tls(tls));
        if (!getProtocol().equals("imaps")) {
            properties.put(prefix + "socketFactory", NoDelaySockets.plain());
        }
        return properties;
    }

    public String getHost() {
        return host;
    }

    /** Host name of the IMAP server. */
    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    /** Port; 0 means the protocol's default. */
    public void setPort(int port) {
        this.port = port;
    }

    public String getProtocol() {
        return protocol;
    }

    /** imaps or imap. */
    public void setProtocol(String protocol) {
        this.protocol = protocol;
    }

    public String getUsername() {
        return username;
    }

    /** Login name. */
    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    /** Password. */
    public void setPassword(String password) {
        this.password = password;
    }

    public String getPasswordFile() {
        return passwordFile;
    }

    /** File holding the password, used instead of password when set. */
    public void setPasswordFile(String passwordFile) {
        this.passwordFile = passwordFile;
    }

    public String getCaFile() {
        return caFile;
    }

    /** PEM file of the CAs to trust instead of the JDK's. */
    public void setCaFile(String caFile) {
        this.caFile = caFile;
    }

    public boolean isStarttls() {
        return starttls;
    }

    /** imap only: require STARTTLS. */
    public void setStarttls(boolean starttls) {
        this.starttls = starttls;
    }

    public String getFolder() {
        return folder;
    }

    /** Target folder, may hold Simple expressions. */
    public void setFolder(String folder) {
        this.folder = folder;
    }

    public String getFlags() {
        return flags;
    }

    /** Flags of the appended message, comma separated. */
    public void setFlags(String flags) {
        this.flags = flags;
    }

    public boolean isCreateFolders() {
        return createFolders;
    }

    /** Create (and subscribe) a missing target folder. */
    public void setCreateFolders(boolean createFolders) {
        this.createFolders = createFolders;
    }

    public int getTimeout() {
        return timeout;
    }

    /** Connect and read timeout in milliseconds. */
    public void setTimeout(int timeout) {
        this.timeout = timeout;
    }

    public AppendJournal getJournal() {
        return journal;
    }

    /** Durable record of each message's APPENDs. */
    public void setJournal(AppendJournal journal) {
        this.journal = journal;
    }
}
