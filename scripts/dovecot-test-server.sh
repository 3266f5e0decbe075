#!/usr/bin/env bash
# Starts or stops a throwaway Dovecot (Debian's dovecot-core, -pop3d, -imapd) for the interop tests
# and benchmarks: loopback only, high ports, passwd-file users, Maildir storage, and the demo
# certificate (SAN localhost/127.0.0.1, signed by src/main/resources/demo/demo-ca.pem).
#
#   scripts/dovecot-test-server.sh start DIR USER PASSWORD POP3 POP3S IMAP IMAPS [INTROSPECTION_URL]
#   scripts/dovecot-test-server.sh add-users DIR ACCOUNTS   # ACCOUNTS: a file, "user password" a line
#   scripts/dovecot-test-server.sh stop DIR
#
# DIR must not be under a folder the mail user cannot enter (not under /root); it is made 0755.
# Mail for USER goes into DIR/home/USER/Maildir/{new,cur,tmp}, owned by uid/gid 65534. Users added to
# a running server can log in at once: Dovecot re-reads the passwd-file when it changes. Its log,
# DIR/dovecot.log, has a line per login and per logout (with the RETRs and DELEs of the session) and
# per IMAP SEARCH, stamped to the microsecond.
# With INTROSPECTION_URL (http://client:secret@127.0.0.1:PORT/ISSUER/introspect), logins with SASL
# XOAUTH2 or OAUTHBEARER are checked by Dovecot's oauth2 passdb, which asks that OAuth2 server about
# each access token (RFC 7662; auth_cache_size stays 0, so every login asks) and takes the token's
# "username" claim as the user; a failed login is answered at once, without Dovecot's usual delay.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
action=${1:?start, add-users or stop}
dir=${2:?directory}

# Appends "user:{PLAIN}password" lines for the accounts read from stdin ("user password" a line) and
# makes their Maildirs; the passwd-file is replaced in one rename, so Dovecot never reads half of it.
add_users() {
  local user password
  cp "$dir/passwd" "$dir/passwd.new" 2>/dev/null || : > "$dir/passwd.new"
  while read -r user password; do
    [ -n "$user" ] || continue
    mkdir -p "$dir/home/$user/Maildir/"{new,cur,tmp}
    chown -R 65534:65534 "$dir/home/$user"
    echo "$user:{PLAIN}$password::::" >> "$dir/passwd.new"
  done
  mv "$dir/passwd.new" "$dir/passwd"
}

if [ "$action" = stop ]; then
  if [ -f "$dir/run/master.pid" ]; then
    kill "$(cat "$dir/run/master.pid")" 2>/dev/null || true
  fi
  exit 0
fi

if [ "$action" = add-users ]; then
  add_users < "${3:?accounts file}"
  exit 0
fi

user=${3:?user}; password=${4:?password}
pop3=${5:?pop3 port}; pop3s=${6:?pop3s port}; imap=${7:?imap port}; imaps=${8:?imaps port}
introspection=${9:-}
mkdir -p "$dir/run" "$dir/state" "$dir/home"
chmod 0755 "$dir" "$dir/home"
chown 65534:65534 "$dir/home"
echo "$user $password" | add_users

# The oauth2 passdb and its settings file, when an introspection URL is given.
oauth2_passdb() {
  [ -n "$introspection" ] || return 0
  cat > "$dir/dovecot-oauth2.conf.ext" <<OAUTH
introspection_mode = post
introspection_url = $introspection
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
timeout_msecs = 5000
OAUTH
  # The static passdb first only marks token logins "nodelay": a refused token is answered at once
  # and does not slow down the next logins from 127.0.0.1 (Dovecot's per-IP auth penalty, 2-15 s,
  # which login_trusted_networks no longer lifts in 2.3).
  cat <<PASSDB
passdb {
  driver = static
  mechanisms = xoauth2 oauthbearer
  args = nopassword=y nodelay=yes
  result_success = continue
  result_failure = continue
}
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $dir/dovecot-oauth2.conf.ext
}
PASSDB
}

openssl pkcs12 -in "$here/src/main/resources/demo/demo-server.p12" -passin pass:changeit -nokeys -clcerts \
  2>/dev/null | sed -n '/BEGIN CERTIFICATE/,/END CERTIFICATE/p' > "$dir/cert.pem"
openssl pkcs12 -in "$here/src/main/resources/demo/demo-server.p12" -passin pass:changeit -nocerts -nodes \
  2>/dev/null | sed -n '/BEGIN PRIVATE KEY/,/END PRIVATE KEY/p' > "$dir/key.pem"
chmod 0600 "$dir/key.pem"

cat > "$dir/dovecot.conf" <<CONF
protocols = pop3 imap
listen = 127.0.0.1
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
log_timestamp = "%Y-%m-%d %H:%M:%S.%{usecs} "
# A line per IMAP SEARCH a client sends ("Debug: Command finished: UID SEARCH ..."), for the IMAP
# sink's benchmark and tests, which count them.
log_debug = event=imap_command_finished AND (cmd_name=SEARCH OR cmd_name="UID SEARCH")
ssl = yes
ssl_cert = <$dir/cert.pem
ssl_key = <$dir/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login${introspection:+ xoauth2 oauthbearer}
mail_location = maildir:~/Maildir
default_login_user = dovenull
default_internal_user = dovecot
passdb {
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u $dir/passwd
}
$(oauth2_passdb)
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$dir/home/%u
}
service pop3-login {
  inet_listener pop3 {
    port = $pop3
  }
  inet_listener pop3s {
    port = $pop3s
    ssl = yes
  }
}
service imap-login {
  inet_listener imap {
    port = $imap
  }
  inet_listener imaps {
    port = $imaps
    ssl = yes
  }
}
CONF
dovecot -c "$dir/dovecot.conf"
for _ in $(seq 1 50); do
  [ -f "$dir/run/master.pid" ] && exec 3<>"/dev/tcp/127.0.0.1/$pop3" 2>/dev/null && exit 0
  sleep 0.1
done
echo "Dovecot did not start; see $dir/dovecot.log" >&2
exit 1
