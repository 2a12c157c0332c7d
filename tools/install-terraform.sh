#!/usr/bin/env bash
# Builds the pinned Terraform CLI from the Go module proxy, once, into a cache
# directory, and prints the binary's path. Only the `terraform query` tests
# need it (OpenTofu has no list resources yet). Terraform is BUSL-licensed: it
# is a test tool here, never shipped or vendored.
#
# The module zip lacks the nested modules of the remote-state backends and of
# internal/legacy, so the build drops them from a writable copy of the module:
# their require and replace lines in go.mod, and the backends' imports and
# entries in internal/backend/init/init.go. The local backend, which the tests
# use, stays.
#
# With --cached, it prints the path only when the binary is built already,
# and builds nothing.
set -euo pipefail

version="${TERRAFORM_QUERY_VERSION:-v1.14.9}"
cache="${TERRAFORM_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-flowroute/terraform-$version}"
bin="$cache/terraform"

if [ -x "$bin" ] && CHECKPOINT_DISABLE=1 "$bin" version >/dev/null 2>&1; then
  echo "$bin"
  exit 0
fi
[ "${1:-}" != --cached ] || exit 0

mkdir -p "$cache"
echo "building Terraform $version into $cache (first run only, about 8 minutes on 2 cores)" >&2
dir=$(cd "$cache" && GOFLAGS=-mod=mod go mod download -json "github.com/hashicorp/terraform@$version" |
  sed -n 's/^[[:space:]]*"Dir":[[:space:]]*"\(.*\)",\{0,1\}$/\1/p')
[ -n "$dir" ] || { echo "could not download github.com/hashicorp/terraform@$version" >&2; exit 1; }

src=$(mktemp -d "${TMPDIR:-/tmp}/terraform-src.XXXXXX")
trap 'chmod -R u+w "$src" && rm -rf "$src"' EXIT
cp -R "$dir/." "$src"
chmod -R u+w "$src"

dropped='azure consul cos gcs kubernetes oci oss pg s3'
for b in $dropped; do
  sed -i "\|terraform/internal/backend/remote-state/$b[ \"]|d" "$src/go.mod" "$src/internal/backend/init/init.go"
  case $b in azure) key=azurerm ;; *) key=$b ;; esac
  sed -i "/^[[:space:]]*\"$key\":[[:space:]]*func() backend.Backend/d" "$src/internal/backend/init/init.go"
done
sed -i '\|terraform/internal/legacy |d' "$src/go.mod"

(cd "$src" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath \
  -ldflags "-s -w -X github.com/hashicorp/terraform/version.dev=no" -o "$bin.tmp" .)
mv "$bin.tmp" "$bin"
echo "$bin"
