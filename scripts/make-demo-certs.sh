#!/usr/bin/env bash
# shellcheck disable=SC2086 # $cheap holds several options on purpose
# Regenerates the demo/test TLS material in src/main/resources/demo: a CA (demo-ca.pem) and a
# server key store (demo-server.p12, password "changeit") whose certificate the CA signed, with a
# subject alternative name for localhost and 127.0.0.1 so host-name verification passes.
# Only the demo's embedded server and the tests use it; never trust it for anything else.
set -euo pipefail
out=$(cd "$(dirname "$0")/.." && pwd)/src/main/resources/demo
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=changeit
days=36500
# The server key store is derived with one PBKDF2 iteration instead of 10,000: its password is in
# this file anyway, and three derivations of 10,000 took a tenth of the demo's start (docs/benchmarks.md).
cheap="-J-Dkeystore.pkcs12.keyPbeIterationCount=1 -J-Dkeystore.pkcs12.certPbeIterationCount=1 -J-Dkeystore.pkcs12.macIterationCount=1"

keytool -genkeypair -keystore "$work/ca.p12" -storepass $pass -alias ca -keyalg RSA -keysize 2048 \
  -dname "CN=mailpipe demo CA" -ext bc:c -validity $days
keytool -exportcert -rfc -keystore "$work/ca.p12" -storepass $pass -alias ca > "$out/demo-ca.pem"

keytool $cheap -genkeypair -keystore "$out/demo-server.p12" -storepass $pass -alias server -keyalg RSA -keysize 2048 \
  -dname "CN=localhost" -validity $days
keytool -certreq -keystore "$out/demo-server.p12" -storepass $pass -alias server > "$work/server.csr"
keytool -gencert -keystore "$work/ca.p12" -storepass $pass -alias ca -infile "$work/server.csr" -rfc \
  -ext "san=dns:localhost,ip:127.0.0.1" -ext "eku=serverAuth" -validity $days > "$work/server.pem"
keytool $cheap -importcert -noprompt -keystore "$out/demo-server.p12" -storepass $pass -alias ca -file "$out/demo-ca.pem"
keytool $cheap -importcert -noprompt -keystore "$out/demo-server.p12" -storepass $pass -alias server -file "$work/server.pem"
echo "wrote $out/demo-ca.pem and $out/demo-server.p12"
