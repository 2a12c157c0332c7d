#!/usr/bin/env bash
# The wall time of `tofu apply` on a configuration that buys 50 numbers with
# for_each (50 flowroute_phone_number sharing one search), with the locally
# built provider against the Flowroute simulator on loopback, without and with
# 50 ms of latency on every answer. Each of RUNS applies per latency starts
# from an empty state and a simulator started anew, so with an account that
# owns nothing and the same inventory; init is not timed. The latencies take
# turns, one apply each per round, so that load from other work on the
# machine falls on all of them alike.
#
# The floor of the time the creates take: the CLI creates 10 resources at
# once (-parallelism, default 10), so 50 purchases are 5 waves; each purchase
# is 2 round trips (a search, one page, then the purchase; no PATCH, as
# nothing is set besides the search), so the floor is 5 x 2 x latency: 500 ms
# at 50 ms. What latency adds over 0 ms can stay below it, since the CPU
# work that holds the creates back at 0 ms goes on while requests wait.
# Prints the minimum and median per latency, what the latency added over 0 ms,
# the floor, and the requests one apply made, by method; fails unless each
# apply bought 50 distinct numbers with 50 purchases.
#
# usage: tools/bench-purchase.sh tofu [runs] [latency...]
#   runs: default 5; latencies: default 0ms 50ms, the first the baseline,
#   in ms for the floor to show.
set -euo pipefail
tofu=$1
runs=${2:-5}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "runs must be a positive number, got '$runs'" >&2; exit 2; }
purchases=50
parallelism=10
waves=$(((purchases + parallelism - 1) / parallelism))
round_trips=2
# 320 numbers in the simulator's default inventory: every search answers a
# full page of 200.
state=ny
# shellcheck source=tools/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init

echo "building the provider and the simulator"
go build -trimpath -o "$work/terraform-provider-flowroute" "$root"
build_sim

# The for_each keys are literals, known before any request; the output's
# precondition fails the apply unless the numbers bought are distinct.
cat >"$work/purchase.tf" <<EOF
terraform {
  required_providers {
    flowroute = {
      source = "flowroute-community/flowroute"
    }
  }
}

provider "flowroute" {}

resource "flowroute_phone_number" "each" {
  for_each            = toset([for i in range($purchases) : format("n%02d", i)])
  search              = { state = "$state" }
  deletion_protection = false
}

output "distinct_numbers" {
  value = length(distinct([for n in flowroute_phone_number.each : n.number]))

  precondition {
    condition     = length(distinct([for n in flowroute_phone_number.each : n.number])) == $purchases
    error_message = "The numbers bought are not $purchases distinct numbers."
  }
}
EOF
cli_setup "$work/terraform-provider-flowroute" "$work/purchase.tf"

echo "tofu apply, $purchases purchases with for_each and search = { state = \"$state\" }, -parallelism=$parallelism," \
  "$runs runs per latency, $(nproc) cores, $("$tofu" version | head -n 1)"
latencies=("${@:3}")
((${#latencies[@]})) || latencies=(0ms 50ms)
declare -A all_times=() gets=() patches=()
for _ in $(seq "$runs"); do
  for latency in "${latencies[@]}"; do
    time_applies "$tofu" 1 "$latency" -parallelism="$parallelism"
    # The precondition saw 50 distinct numbers bought: with 50 POSTs, none
    # was sent twice.
    [ "${requests_by_method[POST]:-0}" = "$purchases" ] ||
      { echo "want $purchases purchases (POST) in an apply, got ${requests_by_method[POST]:-0}" >&2; exit 1; }
    all_times[$latency]+=" ${times[0]}"
    gets[$latency]=$((${gets[$latency]:-0} + ${requests_by_method[GET]:-0}))
    patches[$latency]=$((${patches[$latency]:-0} + ${requests_by_method[PATCH]:-0}))
  done
done
printf '%-8s  %8s  %10s  %9s  %9s  %5s  %5s  %5s  %s\n' latency 'min ms' 'median ms' 'added ms' 'floor ms' \
  GET POST PATCH 'all runs, ms'
base_median=
for latency in "${latencies[@]}"; do
  read -ra times <<<"${all_times[$latency]}"
  lib_stats
  base_median=${base_median:-$median_ms}
  floor=-
  [[ $latency =~ ^([0-9]+)ms$ ]] && floor=$((waves * round_trips * BASH_REMATCH[1]))
  printf '%-8s  %8d  %10d  %9d  %9s  %5s  %5s  %5s  %s\n' "$latency" "$min_ms" "$median_ms" $((median_ms - base_median)) \
    "$floor" "$(awk -v r="${gets[$latency]}" -v n="$runs" 'BEGIN { printf "%g", r / n }')" "$purchases" \
    "$(awk -v r="${patches[$latency]}" -v n="$runs" 'BEGIN { printf "%g", r / n }')" "${times[*]}"
done
echo "requests per apply, by method: GET, the searches (one page each); POST, the purchases; PATCH, none (nothing to set)"
echo "floor: ceil($purchases / $parallelism) = $waves waves x $round_trips round trips x latency"
grep '^distinct_numbers' "$work/apply.log" || true
