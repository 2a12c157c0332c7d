#!/usr/bin/env bash
# make test-install: what the README's set-up promises, tried in a temporary
# home directory with no CLI configuration file. `make install` puts the
# provider in the implied local mirror (~/.terraform.d/plugins), then each CLI
# runs init on the README's first example, which must find the provider there
# by itself (no registry, no overrides), write a lock file pinning the version
# with the installed binary's hash, and apply against the simulator; the
# provider must report the release's version in its user agent.
#
# Usage: tools/test-install.sh version cli...
set -euo pipefail
version=$1
shift
# shellcheck source=tools/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init

fail() {
  echo "test-install: $*" >&2
  exit 1
}

[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] || fail "version \"$version\" is not a release version"

# Go keeps its caches and settings under the home directory: keep the real ones.
GOCACHE=$(go env GOCACHE) GOMODCACHE=$(go env GOMODCACHE) GOPATH=$(go env GOPATH) GOENV=$(go env GOENV)
export GOCACHE GOMODCACHE GOPATH GOENV
home="$work/home"
mkdir -p "$home"
# Nothing of the caller's CLI set-up may help: no configuration file, no
# plugin cache, no version check.
unset TF_CLI_CONFIG_FILE TF_PLUGIN_CACHE_DIR TERRAFORM_CONFIG
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

HOME="$home" make -s -C "$root" install VERSION= >"$work/install.log" 2>&1 && fail "make install accepted an empty version"
HOME="$home" make -s -C "$root" install >"$work/install.log" ||
  { cat "$work/install.log" >&2; fail "make install failed"; }
platform=$(go env GOOS)_$(go env GOARCH)

# h1_hash file: the lock file's h1 hash of a directory holding only file
# (Go's dirhash Hash1: the SHA-256 of "<sha256>  <name>\n" lines, in base64).
h1_hash() {
  local line
  line="$(sha256sum <"$1" | cut -d' ' -f1)  $(basename "$1")"
  # shellcheck disable=SC2059 # the format is the digest's bytes as \x escapes
  printf "$(printf '%s\n' "$line" | sha256sum | cut -d' ' -f1 | sed 's/../\\x&/g')" | base64
}

build_sim
sim_start -log

for cli in "$@"; do
  name=$(basename "$cli")
  if [[ $("$cli" version) == OpenTofu* ]]; then host=registry.opentofu.org; else host=registry.terraform.io; fi
  binary="$home/.terraform.d/plugins/$host/flowroute-community/flowroute/$version/$platform/terraform-provider-flowroute_v$version"
  [ -x "$binary" ] || fail "make install did not place $binary"

  config="$work/$name"
  mkdir -p "$config"
  # The first hcl block of the README, as a user copies it.
  awk '/^```hcl$/ { inside = 1; next } /^```$/ && inside { exit } inside' "$root/README.md" >"$config/main.tf"
  grep -q 'source = "flowroute-community/flowroute"' "$config/main.tf" || fail "the README's first example requires no flowroute-community/flowroute"

  HOME="$home" "$cli" -chdir="$config" init -input=false -no-color >"$work/init.log" 2>&1 ||
    { cat "$work/init.log" >&2; fail "$name init failed"; }
  grep -q "Installing flowroute-community/flowroute v$version" "$work/init.log" ||
    { cat "$work/init.log" >&2; fail "$name init did not install version $version"; }
  # The only warning expected: the lock file holds this platform's hash only.
  if grep -qi -e override -e 'unable to open' "$work/init.log"; then
    cat "$work/init.log" >&2
    fail "$name init warned of overrides or of a CLI configuration"
  fi

  lock="$config/.terraform.lock.hcl"
  [ -f "$lock" ] || fail "$name init wrote no lock file"
  grep -q "^provider \"$host/flowroute-community/flowroute\" {" "$lock" || { cat "$lock" >&2; fail "$name lock file: no $host/flowroute-community/flowroute"; }
  grep -q "version *= \"$version\"" "$lock" || { cat "$lock" >&2; fail "$name lock file: not version $version"; }
  hash="h1:$(h1_hash "$binary")"
  grep -qF "\"$hash\"" "$lock" || { cat "$lock" >&2; fail "$name lock file lacks the installed binary's hash $hash"; }

  seen=$(wc -l <"$work/sim.err")
  HOME="$home" "$cli" -chdir="$config" apply -auto-approve -input=false -no-color >"$work/apply.log" 2>&1 ||
    { cat "$work/apply.log" >&2; fail "$name apply failed"; }
  HOME="$home" "$cli" -chdir="$config" output -json area_codes >"$work/output.json"
  grep -q '"[2-9][0-9][0-9]"' "$work/output.json" || { cat "$work/output.json" >&2; fail "$name: no area codes in the output"; }
  tail -n +"$((seen + 1))" "$work/sim.err" | grep -q "ua=\"terraform-provider-flowroute/$version " ||
    { cat "$work/sim.err" >&2; fail "$name: the provider did not report version $version in its user agent"; }
  echo "ok: $name init from the local mirror (lock file $hash), apply, user agent terraform-provider-flowroute/$version"
done
