#!/usr/bin/env bash
# The wall time of `tofu apply` on a configuration that reads the exchanges of
# 20 area codes with for_each (20 flowroute_available_exchanges reads), with
# the locally built provider against the Flowroute simulator on loopback,
# without and with 20 ms of latency on every answer. Each of RUNS applies
# starts from an empty state; init runs once per simulator and is not timed.
#
# The floor for the latency's share: the CLI reads 10 data sources at once
# (-parallelism, default 10), so 20 reads are 2 waves; each read takes as many
# round trips as it needs pages, so the floor is 2 x pages x latency. Reads
# of the default inventory (4 exchanges per area code) are one page each:
# 40 ms at 20 ms latency. Prints the minimum and median per latency, what the
# latency added over 0 ms, and the requests one apply made.
#
# usage: tools/bench-foreach.sh tofu [runs] [latency...]
#   runs: default 5; latencies: default 0ms 20ms, the first the baseline.
set -euo pipefail
command -v curl >/dev/null || { echo "tools/bench-foreach.sh needs curl" >&2; exit 1; }
tofu=$1
runs=${2:-5}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "runs must be a positive number, got '$runs'" >&2; exit 2; }
reads=20
parallelism=10
# shellcheck source=tools/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init

echo "building the provider and the simulator"
go build -trimpath -o "$work/terraform-provider-flowroute" "$root"
build_sim

# The first 20 area codes of the simulator's default inventory, as literals:
# the for_each keys are known before any read, so only the 20 reads count.
sim_start
area_codes=$(curl -fsS -u "$lib_access_key:$lib_secret_key" "$FLOWROUTE_BASE_URL/numbers/available/areacodes?limit=$reads" |
  grep -o '"id": *"[0-9]*"' | grep -o '[0-9]\+' | sed 's/.*/"&"/' | paste -sd, -)
sim_stop
cat >"$work/foreach.tf" <<EOF
terraform {
  required_providers {
    flowroute = {
      source = "flowroute-community/flowroute"
    }
  }
}

provider "flowroute" {}

data "flowroute_available_exchanges" "each" {
  for_each = toset([$area_codes])
  areacode = each.value
}

output "exchange_count" {
  value = sum([for e in data.flowroute_available_exchanges.each : length(e.exchanges)])
}
EOF
cli_setup "$work/terraform-provider-flowroute" "$work/foreach.tf"

echo "tofu apply, $reads exchanges reads with for_each, -parallelism=$parallelism, $runs runs per latency," \
  "$(nproc) cores, $("$tofu" version | head -n 1)"
printf '%-8s  %8s  %10s  %12s  %12s  %s\n' latency 'min ms' 'median ms' 'added ms' requests/run 'all runs, ms'
base_median=
latencies=("${@:3}")
((${#latencies[@]})) || latencies=(0ms 20ms)
for latency in "${latencies[@]}"; do
  time_applies "$tofu" "$runs" "$latency" -parallelism="$parallelism"
  base_median=${base_median:-$median_ms}
  printf '%-8s  %8d  %10d  %12d  %12s  %s\n' "$latency" "$min_ms" "$median_ms" $((median_ms - base_median)) \
    "$requests_per_run" "${times[*]}"
done
echo "floor of the added time: ceil($reads / $parallelism) = $(((reads + parallelism - 1) / parallelism)) waves x 1 page x latency"
grep '^exchange_count' "$work/apply.log" || true
