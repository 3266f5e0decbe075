package dev.mailpipe.cluster;

import java.time.Duration;
import java.util.Set;

/**
 * Where the instances of a cluster say they are alive and hold their leases: one lease per
 * namespace (one mailbox), held by at most one instance until it expires or is released.
 */
public interface LeaseStore extends AutoCloseable {

    /** Records that {@code member} is alive for {@code ttl} from now. */
    void heartbeat(String member, Duration ttl) throws Exception;

    /** The members whose last heartbeat has not run out. */
    Set<String> members() throws Exception;

    /**
     * Takes the lease of {@code namespace} for {@code member}, or renews it, for {@code ttl} from now;
     * false while another member holds it and its lease has not run out.
     */
    boolean acquire(String namespace, String member, Duration ttl) throws Exception;

    /** Gives up the lease of {@code namespace} if {@code member} holds it. */
    void release(String namespace, String member) throws Exception;

    /** Removes {@code member} from the members (a clean stop). */
    void leave(String member) throws Exception;

    @Override
    void close();
}
