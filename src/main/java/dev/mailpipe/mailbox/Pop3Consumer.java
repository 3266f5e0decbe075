package dev.mailpipe.mailbox;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.mail.JavaMailSender;
import org.apache.camel.component.mail.MailConsumer;
import org.apache.camel.component.mail.MailMessage;
import org.apache.camel.spi.IdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-mail's POP3 consumer with three changes mailpipe's guarantees need:
 *
 * <ul>
 *   <li>a completed message is flagged for deletion directly (camel-mail re-finds it by rescanning
 *       the whole folder and sends a NOOP for every commit, which is quadratic in the batch);
 *   <li>the batch's POP3 session is closed here, right after the batch, so a failed DELE or QUIT is
 *       seen: it is logged at WARN (camel-mail logs it at DEBUG) and confirmed deletions are reported
 *       to the {@link DeletionListener};
 *   <li>a failed message is left on the server without camel-mail's stack trace: the route's error
 *       handling has already said what failed, and a message another instance holds is left alone.
 * </ul>
 */
public final class Pop3Consumer extends MailConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(Pop3Consumer.class);

    private final DeletionListener deletions;
    private final List<String> flaggedForDeletion = new ArrayList<>();

    Pop3Consumer(Pop3Endpoint endpoint, Processor processor, JavaMailSender sender, DeletionListener deletions) {
        super(endpoint, processor, sender);
        this.deletions = deletions;
    }

    @Override
    public int processBatch(Queue<Object> exchanges) throws Exception {
        Folder folder = exchanges.isEmpty() ? null : folderOf((Exchange) exchanges.peek());
        flaggedForDeletion.clear();
        int total = super.processBatch(exchanges);
        if (folder != null) {
            endSession(folder);
        }
        return total;
    }

    /** QUIT now, which makes the server apply the batch's DELEs; camel-mail would hide its failure. */
    private void endSession(Folder folder) {
        List<String> deleted = List.copyOf(flaggedForDeletion);
        flaggedForDeletion.clear();
        try {
            folder.close(true);
            if (!deleted.isEmpty()) {
                deletions.deletionsConfirmed(deleted);
            }
        } catch (MessagingException e) {
            LOG.warn(
                    "Mailbox {}: the server did not confirm deleting {} delivered message(s) (DELE/QUIT failed: {}). They"
                            + " stay on the server and will be deleted at a later poll without being delivered again.",
                    getEndpoint().getConfiguration().getMailStoreLogInformation(),
                    deleted.size(),
                    e.getMessage());
            LOG.debug("DELE/QUIT failure", e);
        }
    }

    @Override
    protected void processCommit(Message mail, Exchange exchange) {
        String uid = (String) exchange.removeProperty(MAIL_MESSAGE_UID);
        IdempotentRepository repository = getEndpoint().getIdempotentRepository();
        if (exchange.getProperty(MailpipeHeaders.LEAVE_ON_SERVER, false, Boolean.class)) {
            if (repository != null) {
                repository.remove(uid);
            }
            return;
        }
        try {
            if (getEndpoint().getConfiguration().isDelete()) {
                // The message object belongs to this session's open folder: flagging it is all a DELE needs.
                mail.setFlag(Flags.Flag.DELETED, true);
                flaggedForDeletion.add(uid);
            }
            if (repository != null) {
                repository.confirm(uid);
            }
        } catch (MessagingException e) {
            getExceptionHandler().handleException("Cannot flag message " + uid + " for deletion", exchange, e);
        }
    }

    @Override
    protected void processRollback(Message mail, Exchange exchange) {
        String uid = (String) exchange.removeProperty(MAIL_MESSAGE_UID);
        IdempotentRepository repository = getEndpoint().getIdempotentRepository();
        if (repository != null) {
            repository.remove(uid);
        }
        LOG.debug("Message {} stays on the server after a failed delivery", uid, exchange.getException());
    }

    private static Folder folderOf(Exchange exchange) {
        MailMessage message = exchange.getIn(MailMessage.class);
        return message == null || message.getOriginalMessage() == null
                ? null
                : message.getOriginalMessage().getFolder();
    }
}
