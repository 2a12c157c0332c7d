#!/usr/bin/env bash
# make demo: start the Flowroute simulator on loopback, run init and apply on
# examples/demo with the locally built provider, print the area codes, and
# stop the simulator, leaving nothing running. init installs the provider from
# a local plugin directory, so the demo needs no registry: init refuses to run
# offline with a dev_overrides configuration.
set -euo pipefail
tofu=$1
provider_dir=$2
root=$(cd "$(dirname "$0")/.." && pwd)
demo_version=0.1.0

work=$(mktemp -d)
sim_pid=
cleanup() {
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/flowroute-sim" "$root/tools/flowroute-sim"
"$work/flowroute-sim" -listen 127.0.0.1:0 -access-key demo-access-key -secret-key demo-secret-key \
  >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
for _ in $(seq 100); do
  [ -s "$work/sim.out" ] && break
  kill -0 "$sim_pid" 2>/dev/null || { cat "$work/sim.err" >&2; exit 1; }
  sleep 0.1
done
base_url=$(head -n 1 "$work/sim.out")
[ -n "$base_url" ] || { echo "the simulator did not start" >&2; cat "$work/sim.err" >&2; exit 1; }
echo "Flowroute simulator at $base_url"

# The CLI takes the version from the plugin directory's layout.
plugins="$work/plugins/registry.opentofu.org/flowroute-community/flowroute/$demo_version/$(go env GOOS)_$(go env GOARCH)"
mkdir -p "$plugins" "$work/config"
cp "$provider_dir/terraform-provider-flowroute" "$plugins/terraform-provider-flowroute_v$demo_version"
cp "$root/examples/demo/main.tf" "$work/config/"
: >"$work/cli.tfrc"
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1
export FLOWROUTE_BASE_URL="$base_url" FLOWROUTE_ACCESS_KEY=demo-access-key FLOWROUTE_SECRET_KEY=demo-secret-key

"$tofu" -chdir="$work/config" init -input=false -no-color -plugin-dir="$work/plugins" >/dev/null
echo "tofu init and apply on examples/demo:"
"$tofu" -chdir="$work/config" apply -auto-approve -input=false -no-color >"$work/apply.log" ||
  { cat "$work/apply.log" >&2; exit 1; }
"$tofu" -chdir="$work/config" output -no-color
