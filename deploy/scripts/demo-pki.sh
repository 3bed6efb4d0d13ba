#!/usr/bin/env bash
# The demo's own PKI (docs/security.md): a local CA, the broker's certificate and the dashboard's HTTPS certificate,
# both for 127.0.0.1 and localhost, signed by that CA. Usage: demo-pki.sh DIR. Kept across demo runs (so a browser or
# a gateway that trusts the CA keeps trusting it); delete DIR to start afresh. Private keys are 0600.
# Production uses certificates from the site's own CA or a public one instead (docs/security.md, "Certificates").
set -euo pipefail
DIR="$1"
mkdir -p "$DIR"
chmod 700 "$DIR"
cd "$DIR"
umask 077

if [ ! -s ca.pem ] || [ ! -s ca.key ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 -sha256 \
    -subj "/CN=EdgeSafety demo CA" -keyout ca.key -out ca.pem \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  rm -f broker.pem dashboard.pem
fi

issue() { # name, common name, extended key usage
  local name="$1" cn="$2" usage="$3"
  if [ -s "$name.pem" ] && [ -s "$name.key" ] && openssl verify -CAfile ca.pem "$name.pem" >/dev/null 2>&1 \
    && openssl x509 -in "$name.pem" -noout -checkend 86400 >/dev/null; then
    return
  fi
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$cn" -keyout "$name.key" -out "$name.csr" 2>/dev/null
  openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 -sha256 -out "$name.pem" \
    -extfile <(printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=%s\n' "$usage") 2>/dev/null
  rm -f "$name.csr"
}
issue broker "EdgeSafety demo broker" serverAuth
issue dashboard "EdgeSafety demo dashboard" serverAuth
chmod 600 ./*.key
chmod 644 ./*.pem
