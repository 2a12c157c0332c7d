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

now_ms() { echo $(($(date +%s%N) / 1000000)); }

echo "tofu apply on examples/demo, $runs runs per latency, $(nproc) cores, $("$tofu" version | head -n 1)"
printf '%-8s  %8s  %10s  %12s  %s\n' latency 'min ms' 'median ms' requests/run 'all runs, ms'
for latency in 0ms 20ms; do
  # -log prints one line per request, to count them.
  sim_start -latency "$latency" -log
  cli_init "$tofu"
  times=()
  for _ in $(seq "$runs"); do
    rm -f "$work/config/terraform.tfstate" "$work/config/terraform.tfstate.backup"
    start=$(now_ms)
    "$tofu" -chdir="$work/config" apply -auto-approve -input=false -no-color >"$work/apply.log" ||
      { cat "$work/apply.log" >&2; exit 1; }
    times+=($(($(now_ms) - start)))
  done
  requests=$(grep -c ' GET /v2/' "$work/sim.err" || true)
  sim_stop
  mapfile -t sorted < <(printf '%s\n' "${times[@]}" | sort -n)
  # The median of an even count is the mean of the middle two.
  mid=$((runs / 2))
  if ((runs % 2)); then median=${sorted[mid]}; else median=$(((sorted[mid - 1] + sorted[mid]) / 2)); fi
  printf '%-8s  %8d  %10d  %12s  %s\n' "$latency" "${sorted[0]}" "$median" \
    "$(awk -v r="$requests" -v n="$runs" 'BEGIN { printf "%g", r / n }')" "${times[*]}"
done
