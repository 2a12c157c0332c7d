#!/usr/bin/env bash
# The provider's own CPU per resource, against a floor: tools/noop-provider,
# a provider on the same framework whose resource does nothing. Each plugin
# binary runs under a wrapper that appends the CPU (user + sys) of its
# process to a log when it exits, so every provider process a command starts
# is counted, and nothing of the CLI's.
#
# Refresh: for each N, the simulator (answering at once) is started, N
# flowroute_phone_number are bought and N noop_thing created (untimed); then
# RUNS rounds, each a `tofu plan` refreshing the N numbers (N GETs) and one
# refreshing the N things, interleaved so that load from other work on the
# machine falls on both alike. Each plan must find no changes.
#
# Purchase: RUNS rounds, each an apply buying 20 numbers from an empty state
# against a new simulator answering after 50 ms, and an apply creating 20
# noop_thing. The floor of the purchase's wall time is the noop apply's plus
# what latency must add: 20 creates at -parallelism=10 are 2 waves, each a
# search and a purchase, so 2 x 2 x 50 ms.
#
# Writes one line per command to OUT/cpu.tsv and prints the medians. With
# PROFILE_DIR set, the provider is tools/provider-profile, which writes a CPU
# profile of each of its processes under PROFILE_DIR/refresh, /purchase or
# /setup (the untimed applies): `go tool pprof -top PROFILE_DIR/refresh/*`.
#
# usage: tools/bench-cpu.sh tofu out-dir [runs] [N...]
#   runs: default 5; N: default 20 100 200 (at most 300: the numbers of "ny"
#   in the simulator's default inventory).
set -euo pipefail
tofu=$1
out=$2
runs=${3:-5}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "runs must be a positive number, got '$runs'" >&2; exit 2; }
sizes=("${@:4}")
((${#sizes[@]})) || sizes=(20 100 200)
purchases=20
latency_ms=50
parallelism=10
# shellcheck source=tools/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init
mkdir -p "$out"

echo "building the provider, the noop provider and the simulator"
if [ -n "${PROFILE_DIR:-}" ]; then
  mkdir -p "$PROFILE_DIR"/{refresh,purchase,setup}
  PROFILE_DIR=$(cd "$PROFILE_DIR" && pwd)
  profile_root=$PROFILE_DIR
  go build -trimpath -o "$work/bin/terraform-provider-flowroute" "$root/tools/provider-profile"
else
  go build -trimpath -o "$work/bin/terraform-provider-flowroute" "$root"
fi
# profile section: where the profiles of the commands that follow go.
profile() { [ -z "${profile_root:-}" ] || export PROFILE_DIR="$profile_root/$1"; }
go build -trimpath -o "$work/bin/terraform-provider-noop" "$root/tools/noop-provider"
build_sim

# wrap name: installs the wrapper of $work/bin/terraform-provider-<name> in
# the plugin directory; it logs "user sys" in seconds to $work/<name>.cpu.
platform=$(go env GOOS)_$(go env GOARCH)
wrap() {
  local dir="$work/plugins/registry.opentofu.org/flowroute-community/$1/$lib_plugin_version/$platform"
  mkdir -p "$dir"
  cat >"$dir/terraform-provider-$1_v$lib_plugin_version" <<WRAPPER
#!/usr/bin/env bash
"$work/bin/terraform-provider-$1" "\$@"
rc=\$?
# The second line is the children's: the provider process alone.
times | sed -n 2p | sed 's/m/ /g; s/s//g' | awk '{ print \$1 * 60 + \$2, \$3 * 60 + \$4 }' >>"$work/$1.cpu"
exit \$rc
WRAPPER
  chmod +x "$dir/terraform-provider-$1_v$lib_plugin_version"
}
wrap flowroute
wrap noop
: >"$work/cli.tfrc"
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1

# config dir resource count: a configuration of count resources, and init.
config() {
  local dir=$work/$1 count=$2
  rm -rf "$dir"
  mkdir -p "$dir"
  if [ "$1" = flowroute ]; then
    cat >"$dir/main.tf" <<TF
terraform {
  required_providers {
    flowroute = { source = "flowroute-community/flowroute" }
  }
}
resource "flowroute_phone_number" "each" {
  for_each            = toset([for i in range($count) : format("n%03d", i)])
  search              = { state = "ny" }
  deletion_protection = false
}
TF
  else
    cat >"$dir/main.tf" <<TF
terraform {
  required_providers {
    noop = { source = "flowroute-community/noop" }
  }
}
resource "noop_thing" "each" {
  for_each = toset([for i in range($count) : format("n%03d", i)])
  name     = each.key
}
TF
  fi
  "$tofu" -chdir="$dir" init -input=false -no-color -plugin-dir="$work/plugins" >/dev/null
}

# timed provider command...: runs tofu with the arguments in the provider's
# configuration, and sets wall_ms, cpu_ms (all the provider's processes) and
# requests (those the simulator logged meanwhile).
timed() {
  local provider=$1 before start
  shift
  : >"$work/$provider.cpu"
  before=$(wc -l <"$work/sim.err")
  start=$(lib_now_ms)
  "$tofu" -chdir="$work/$provider" "$@" -input=false -no-color -parallelism=$parallelism >"$work/cmd.log" 2>&1 ||
    { cat "$work/cmd.log" >&2; echo "tofu $* failed for $provider" >&2; exit 1; }
  wall_ms=$(($(lib_now_ms) - start))
  cpu_ms=$(awk '{ s += $1 + $2 } END { printf "%d", s * 1000 + 0.5 }' "$work/$provider.cpu")
  requests=$(tail -n +$((before + 1)) "$work/sim.err" | awk '$2 ~ /^[A-Z]+$/ && index($3, "/v2/") == 1' | wc -l)
}

tsv=$out/cpu.tsv
printf 'section\tn\trun\tprovider\twall_ms\tcpu_ms\trequests\n' >"$tsv"
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" "$wall_ms" "$cpu_ms" "$requests" >>"$tsv"; }

echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $("$tofu" version | head -n 1)"
for n in "${sizes[@]}"; do
  echo "refresh: buying $n numbers and creating $n noop_thing (untimed)"
  sim_start -log
  config flowroute "$n"
  config noop "$n"
  profile setup
  timed flowroute apply -auto-approve
  timed noop apply -auto-approve
  profile refresh
  for run in $(seq "$runs"); do
    # -detailed-exitcode: 0 is no changes, 2 would fail the run.
    timed flowroute plan -detailed-exitcode
    record refresh "$n" "$run" flowroute
    timed noop plan -detailed-exitcode
    record refresh "$n" "$run" noop
  done
  sim_stop
done

echo "purchase: $purchases numbers at ${latency_ms} ms and $purchases noop_thing, $runs rounds"
config flowroute "$purchases"
config noop "$purchases"
profile purchase
for run in $(seq "$runs"); do
  sim_start -log -latency "${latency_ms}ms"
  rm -f "$work"/flowroute/terraform.tfstate*
  timed flowroute apply -auto-approve
  record purchase "$purchases" "$run" flowroute
  sim_stop
  rm -f "$work"/noop/terraform.tfstate*
  timed noop apply -auto-approve
  record purchase "$purchases" "$run" noop
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# The medians, per section, N and provider; the floor of the purchase's wall
# time is the noop apply's plus 2 waves x 2 round trips x latency.
awk -F'\t' -v lat="$latency_ms" -v par="$parallelism" '
  function median(list,   a, k, c) {
    c = split(list, a, " ")
    for (i = 2; i <= c; i++) { v = a[i]; for (j = i - 1; j >= 1 && a[j] > v; j--) a[j + 1] = a[j]; a[j + 1] = v }
    return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
  }
  NR > 1 { k = $1 SUBSEP $2; keys[k] = 1; wall[k, $4] = wall[k, $4] " " $5; cpu[k, $4] = cpu[k, $4] " " $6; req[k, $4] = $7 }
  END {
    printf "%-9s %5s  %13s %13s %6s  %12s %12s  %8s\n", "", "N", "CPU/res ms", "floor ms", "ratio", "wall ms", "floor ms", "requests"
    for (k in keys) {
      split(k, p, SUBSEP); n = p[2]
      fc = median(cpu[k, "flowroute"]); nc = median(cpu[k, "noop"])
      fw = median(wall[k, "flowroute"]); nw = median(wall[k, "noop"])
      if (p[1] == "purchase") nw += int((n + par - 1) / par) * 2 * lat
      printf "%-9s %5d  %13.2f %13.2f %5.2fx  %12d %12d  %8s\n", p[1], n, fc / n, nc / n, fc / nc, fw, nw, req[k, "flowroute"]
    }
  }' "$tsv" | sort -k1,1 -k2n
