#!/usr/bin/env bash
# make bench, last part: the wall time of `tofu apply` on examples/demo (the
# simulator's default inventory: 300 area codes, two data sources) with the
# locally built provider against the Flowroute simulator on loopback, without
# and with 20 ms of latency on every answer. Each of RUNS applies starts from
# an empty state; init runs once per simulator and is not timed. Prints the
# minimum and median per latency, and the requests one apply made.
#
# usage: tools/bench-apply.sh tofu [runs]   (runs: default 5)
set -euo pipefail
tofu=$1
runs=${2:-5}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "runs must be a positive number, got '$runs'" >&2; exit 2; }
# shellcheck source=tools/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init

echo "building the provider and the simulator"
go build -trimpath -o "$work/terraform-provider-flowroute" "$root"
build_sim
cli_setup "$work/terraform-provider-flowroute" "$root/examples/demo/main.tf"

echo "tofu apply on examples/demo, $runs runs per latency, $(nproc) cores, $("$tofu" version | head -n 1)"
printf '%-8s  %8s  %10s  %12s  %s\n' latency 'min ms' 'median ms' requests/run 'all runs, ms'
for latency in 0ms 20ms; do
  time_applies "$tofu" "$runs" "$latency"
  printf '%-8s  %8d  %10d  %12s  %s\n' "$latency" "$min_ms" "$median_ms" "$requests_per_run" "${times[*]}"
done
