#!/usr/bin/env bash
# Builds the pinned OpenTofu CLI from the Go module proxy, once, into a cache
# directory, and prints the binary's path. The acceptance tests drive it, so a
# machine that has only Go can run them (no release downloads needed).
set -euo pipefail

version="${TOFU_VERSION:-v1.12.6}"
cache="${TOFU_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-flowroute/tofu-$version}"
bin="$cache/tofu"

if [ -x "$bin" ] && "$bin" version >/dev/null 2>&1; then
  echo "$bin"
  exit 0
fi

mkdir -p "$cache"
echo "building OpenTofu $version into $cache (first run only, a few minutes)" >&2
# OpenTofu's go.mod has replace directives, so 'go install pkg@version' is
# refused: download the module and build it in place instead.
dir=$(cd "$cache" && GOFLAGS=-mod=mod go mod download -json "github.com/opentofu/opentofu@$version" |
  sed -n 's/^[[:space:]]*"Dir":[[:space:]]*"\(.*\)",\{0,1\}$/\1/p')
[ -n "$dir" ] || { echo "could not download github.com/opentofu/opentofu@$version" >&2; exit 1; }
(cd "$dir" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$bin.tmp" ./cmd/tofu)
mv "$bin.tmp" "$bin"
echo "$bin"
