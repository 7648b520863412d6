#!/usr/bin/env bash
# Builds the self-hosting image (Dockerfile) with buildah, no Docker daemon needed:
#   scripts/image/build.sh            -> prints the image name (default localhost/llmcp:latest)
# Makes the base first (scripts/image/base.sh, cached). Skips the build when the image in buildah's
# storage was built from the same sources (the working tree's git tree hash and the base);
# otherwise builds with --layers so the dependency stage is reused while
# package-lock.json is unchanged. Prints build time and the image's size above the base on stderr.
# Environment: LLMCP_IMAGE (name), LLMCP_IMAGE_REBUILD=1 (ignore the source hash), BUILDAH_FLAGS.
set -euo pipefail
cd "$(dirname "$0")/../.."
IMAGE=${LLMCP_IMAGE:-localhost/llmcp:latest}
log() { echo "image-build: $*" >&2; }
command -v buildah >/dev/null || { log "buildah is missing (apt-get install -y buildah)"; exit 2; }

base=$(scripts/image/base.sh)
base_id=$(buildah inspect --type image --format '{{.FromImageID}}' "$base")
# The working tree's content as a git tree hash (tracked and untracked, .gitignore'd files left out),
# via a throwaway index: the same for a clean clone of a commit and for that commit's checkout.
tree=$(tmp_index=$(mktemp); trap 'rm -f "$tmp_index"' EXIT; cp "$(git rev-parse --git-path index)" "$tmp_index" 2>/dev/null || true
  GIT_INDEX_FILE=$tmp_index git add -A . && GIT_INDEX_FILE=$tmp_index git write-tree)
key=$(echo "$base_id $tree" | sha256sum | cut -c1-16)
have() { [ "$(buildah inspect --type image --format '{{index .Docker.Config.Labels "org.llmcp.source-key"}}' "$IMAGE" 2>/dev/null || true)" = "$key" ]; }

if [ "${LLMCP_IMAGE_REBUILD:-0}" != 1 ] && have; then
  log "cached $IMAGE (sources $key)"
else
  start=$(date +%s)
  # --format docker: OCI images cannot carry HEALTHCHECK. chroot isolation + host network: no daemon,
  # no user namespaces needed (the only isolation this machine allows).
  # shellcheck disable=SC2086
  buildah bud --isolation chroot --network host --layers --format docker --quiet \
    --build-arg BASE_IMAGE="$base" --label org.llmcp.source-key="$key" \
    ${BUILDAH_FLAGS:-} -f Dockerfile -t "$IMAGE" . >&2
  log "built $IMAGE in $(( $(date +%s) - start )) s"
  # Bounded storage: every source change leaves ~1.5 GB of intermediate images. Untagged ones older
  # than LLMCP_IMAGE_KEEP_HOURS (24) go; a later build re-creates any layer it still needs.
  cutoff=$(( $(date +%s) - ${LLMCP_IMAGE_KEEP_HOURS:-24} * 3600 ))
  old=$(buildah images -a --json | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{
    for (const i of JSON.parse(s)) if (!(i.names ?? []).length && i.created < Number(process.argv[1])) console.log(i.id)})' "$cutoff")
  # shellcheck disable=SC2086
  [ -n "$old" ] && { buildah rmi $old >/dev/null 2>&1 || true; log "pruned $(echo "$old" | wc -w) intermediate image(s) older than ${LLMCP_IMAGE_KEEP_HOURS:-24} h"; }
fi
# Uncompressed size: the sum of the image's layers (diff sizes in buildah's layer store).
size() {
  local root; root=$(buildah info --format '{{.store.GraphRoot}}')
  buildah inspect --type image --format '{{range .OCIv1.RootFS.DiffIDs}}{{.}} {{end}}' "$1" |
    node -e 'const fs=require("fs");const L=JSON.parse(fs.readFileSync(process.argv[1]+"/overlay-layers/layers.json","utf8"));
      const ids=fs.readFileSync(0,"utf8").trim().split(/\s+/);let n=0;for(const id of ids){const l=L.find((x)=>x["diff-digest"]===id);n+=l?l["diff-size"]:0}console.log(n)' "$root"
}
img_bytes=$(size "$IMAGE"); base_bytes=$(size "$base")
log "size: $(( img_bytes / 1000000 )) MB, $(( (img_bytes - base_bytes) / 1000000 )) MB above the base $base ($(( base_bytes / 1000000 )) MB)"
echo "$IMAGE"
