#!/usr/bin/env bash
# make demo: start the Flowroute simulator on loopback, run init and apply on
# examples/demo with the locally built provider, print the area codes, and
# stop the simulator, leaving nothing running. See tools/lib.sh for how the
# CLI runs offline.
set -euo pipefail
tofu=$1
provider_dir=$2
# shellcheck source=tools/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init

build_sim
sim_start
echo "Flowroute simulator at $base_url"

cli_setup "$provider_dir/terraform-provider-flowroute" "$root/examples/demo/main.tf"
cli_init "$tofu"
echo "tofu init and apply on examples/demo:"
"$tofu" -chdir="$work/config" apply -auto-approve -input=false -no-color >"$work/apply.log" ||
  { cat "$work/apply.log" >&2; exit 1; }
"$tofu" -chdir="$work/config" output -no-color
