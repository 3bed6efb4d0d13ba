#!/usr/bin/env bash
# Makes the VAPID key pair for Web Push (RFC 8292), once per installation: the private key goes into FILE (PEM,
# readable by its owner only; point Notifications:WebPush:PrivateKeyFile at it), the public key (base64url, the
# browser's applicationServerKey) is printed. Usage: vapid-keys.sh FILE   (FILE must not exist yet)
set -euo pipefail
file="${1:-}"
if [ -z "$file" ]; then echo "usage: ./edgesafety vapid-keys FILE" >&2; exit 2; fi
if [ -e "$file" ]; then echo "vapid-keys: $file exists; a new key would stop every existing subscription" >&2; exit 1; fi
command -v openssl >/dev/null || { echo "vapid-keys: openssl is required (apt-get install openssl)" >&2; exit 1; }
(umask 077 && openssl ecparam -name prime256v1 -genkey -noout -out "$file")
# The DER public key ends with the 65-byte uncompressed point; base64url without padding, as browsers take it.
openssl ec -in "$file" -pubout -outform DER 2>/dev/null | tail -c 65 | base64 -w0 | tr '/+' '_-' | tr -d '='
echo
