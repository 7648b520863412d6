#!/usr/bin/env bash
# Makes the base image the Dockerfile's FROM names (localhost/llmcp-base:bookworm-node20) without
# pulling anything: no registry is reachable here, so it is a `debootstrap --variant=minbase bookworm`
# root filesystem from Debian's repositories (plus tini, so SIGTERM reaches node and zombies are
# reaped), this machine's Node 20 binary and npm, and its CA bundle (NODE_EXTRA_CA_CERTS points at
# it, else `npm ci` inside the build fails on the registry's certificate chain).
#
# Cached: the image is labelled with a hash of its inputs (this script, the node binary, npm's
# version, the CA bundle); when buildah's storage already holds that image nothing is done, and an
# OCI archive under $LLMCP_IMAGE_CACHE (default ~/.cache/llmcp-image) restores it after the storage
# was wiped. Needs root, buildah and debootstrap (Debian packages). Prints the image name.
set -euo pipefail

BASE_IMAGE=${LLMCP_BASE_IMAGE:-localhost/llmcp-base:bookworm-node20}
CACHE_DIR=${LLMCP_IMAGE_CACHE:-$HOME/.cache/llmcp-image}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
NODE_BIN=$(readlink -f "$(command -v node)")
NPM_DIR=$(dirname "$(readlink -f "$(command -v npm)")")/..
NPM_DIR=$(cd "$NPM_DIR" && pwd)
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt

log() { echo "image-base: $*" >&2; }
case "$("$NODE_BIN" --version)" in v20.*) ;; *) log "need Node 20 on the PATH, found $("$NODE_BIN" --version)"; exit 1 ;; esac
[ -f "$NPM_DIR/package.json" ] || { log "npm not found beside node ($NPM_DIR)"; exit 1; }
[ -s "$CA_BUNDLE" ] || { log "no CA bundle at $CA_BUNDLE"; exit 1; }

KEY=$( { sha256sum "$0" "$NODE_BIN" "$CA_BUNDLE" | cut -d' ' -f1; "$NODE_BIN" -p "require('$NPM_DIR/package.json').version"; } | sha256sum | cut -c1-16)
ARCHIVE="$CACHE_DIR/llmcp-base-$KEY.oci.tar"

have_key() { [ "$(buildah inspect --type image --format '{{index .ImageAnnotations "org.llmcp.base-key"}}' "$BASE_IMAGE" 2>/dev/null || true)" = "$KEY" ]; }

if have_key; then log "cached $BASE_IMAGE ($KEY)"; echo "$BASE_IMAGE"; exit 0; fi
if [ -f "$ARCHIVE" ]; then
  log "restoring $BASE_IMAGE from $ARCHIVE"
  buildah pull --quiet "oci-archive:$ARCHIVE" >/dev/null
  img=$(buildah images --noheading --format '{{.ID}}' --filter "label=org.llmcp.base-key=$KEY" | head -1)
  buildah tag "${img:-$(buildah images --noheading --format '{{.ID}}' | head -1)}" "$BASE_IMAGE"
  if have_key; then echo "$BASE_IMAGE"; exit 0; fi
  log "archive did not restore the expected image; rebuilding"
fi

WORK=$(mktemp -d /tmp/llmcp-base.XXXXXX)
ctr=""
cleanup() { [ -n "$ctr" ] && buildah rm "$ctr" >/dev/null 2>&1; rm -rf "$WORK"; }
trap cleanup EXIT
ROOT="$WORK/rootfs"
start=$(date +%s)
log "debootstrap minbase bookworm from $MIRROR"
debootstrap --variant=minbase --include=tini bookworm "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 || { tail -20 "$WORK/debootstrap.log" >&2; exit 1; }
# Slim: no apt lists, docs, man pages or locales beyond C (the image never runs apt).
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*.bin "$ROOT"/var/cache/apt/archives/*.deb \
  "$ROOT"/usr/share/doc/* "$ROOT"/usr/share/man/* "$ROOT"/usr/share/info/* "$ROOT"/usr/share/locale/*
install -m 0755 "$NODE_BIN" "$ROOT/usr/local/bin/node"
mkdir -p "$ROOT/usr/local/lib/node_modules"
cp -a "$NPM_DIR" "$ROOT/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOT/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOT/usr/local/bin/npx"
mkdir -p "$ROOT/etc/ssl/certs"
install -m 0644 "$CA_BUNDLE" "$ROOT/etc/ssl/certs/ca-certificates.crt"
chroot "$ROOT" /usr/local/bin/node --version >/dev/null || { log "node does not run inside the root filesystem"; exit 1; }

ctr=$(buildah from scratch)
tar -C "$ROOT" -cf "$WORK/rootfs.tar" .
buildah add --quiet "$ctr" "$WORK/rootfs.tar" / >/dev/null
buildah config \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
  --env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
  --cmd '["node"]' \
  --label org.llmcp.base-key="$KEY" --annotation org.llmcp.base-key="$KEY" \
  "$ctr"
buildah commit --quiet --rm "$ctr" "$BASE_IMAGE" >/dev/null
ctr=""
mkdir -p "$CACHE_DIR"
rm -f "$CACHE_DIR"/llmcp-base-*.oci.tar
buildah push --quiet "$BASE_IMAGE" "oci-archive:$ARCHIVE" >/dev/null
log "built $BASE_IMAGE ($KEY) in $(( $(date +%s) - start )) s; archived to $ARCHIVE"
echo "$BASE_IMAGE"
