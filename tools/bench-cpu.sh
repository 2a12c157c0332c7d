#!/usr/bin/env bash
# The provider's own CPU per resource, against a floor: tools/noop-provider,
# a provider on the same framework whose resource, shaped like
# flowroute_phone_number, does nothing. Each plugin runs under a wrapper that
# appends the CPU (user + sys) of its process to a log when it exits, so
# every provider process a command starts is counted, and nothing of the
# CLI's. The floor, "noop", sets its process up as the provider does (no logs
# when no TF_LOG* variable is set, fewer garbage collections), so that the
# difference is the provider's own work; "default" is the same do-nothing
# provider run as the framework leaves it, as most providers run.
#
# Refresh: for each N, the simulator (answering at once) is started, N
# flowroute_phone_number are bought and N noop_thing created (untimed); then
# RUNS rounds, each a `plan` refreshing the N numbers (N GETs) and one by
# each do-nothing provider refreshing the N things, interleaved so that load
# from other work on the machine falls on all alike. Each plan must find no changes.
#
# Purchase: RUNS rounds, each an apply buying 20 numbers from an empty state
# against a new simulator answering after 50 ms, and an apply creating 20
# noop_thing. The floor of the purchase's wall time is the noop apply's plus
# what latency must add: 20 creates at -parallelism=10 are 2 waves, each a
# search and a purchase, so 2 x 2 x 50 ms.
#
# With BASELINE set to another build of the provider (an earlier commit's,
# say), it takes part as a third contender, "baseline", refreshing the same
# numbers and buying its own.
#
# Writes one line per command to OUT/cpu.tsv and prints the medians. With
# PROFILE_DIR set, the provider is tools/provider-profile, which writes a CPU
# profile of each of its processes under PROFILE_DIR/refresh, /purchase or
# /setup (the untimed applies): `go tool pprof -top PROFILE_DIR/refresh/*`.
#
# usage: tools/bench-cpu.sh tofu-or-terraform out-dir [runs] [N...]
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
mkdir -p "$work/bin"
if [ -n "${PROFILE_DIR:-}" ]; then
  mkdir -p "$PROFILE_DIR"/{refresh,purchase,setup}
  profile_root=$(cd "$PROFILE_DIR" && pwd)
  go build -trimpath -o "$work/bin/flowroute" "$root/tools/provider-profile"
else
  go build -trimpath -o "$work/bin/flowroute" "$root"
fi
go build -trimpath -o "$work/bin/noop" "$root/tools/noop-provider"
contenders=(flowroute noop default)
if [ -n "${BASELINE:-}" ]; then
  cp "$BASELINE" "$work/bin/baseline"
  contenders+=(baseline)
fi
build_sim
# profile section: where the profiles of the commands that follow go.
profile() { [ -z "${profile_root:-}" ] || export PROFILE_DIR="$profile_root/$1"; }

: >"$work/cli.tfrc"
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1
# The version's first line, taken without a pipe, which would end the CLI
# with SIGPIPE; the CLI looks local plugins up under its own registry's host.
cli_version=$("$tofu" version)
cli_version=${cli_version%%$'\n'*}
host=registry.opentofu.org
[[ $cli_version == OpenTofu* ]] || host=registry.terraform.io

# setup contender: a plugin directory holding the contender's binary behind
# the wrapper, which logs "user sys" in seconds to $work/<contender>.cpu.
setup() {
  local type=flowroute bin=$1 args=
  case $1 in
    noop) type=noop ;;
    default) type=noop bin=noop args=-defaults ;;
  esac
  local dir="$work/plugins-$1/$host/flowroute-community/$type/$lib_plugin_version/$(go env GOOS)_$(go env GOARCH)"
  mkdir -p "$dir"
  cat >"$dir/terraform-provider-${type}_v$lib_plugin_version" <<WRAPPER
#!/usr/bin/env bash
"$work/bin/$bin" $args "\$@"
rc=\$?
# The second line is the children's: the provider process alone. A pipe
# would run times in a subshell, which has no children.
times >"$work/$1.times.\$\$"
sed -n 2p "$work/$1.times.\$\$" | sed 's/m/ /g; s/s//g' | awk '{ print \$1 * 60 + \$2, \$3 * 60 + \$4 }' >>"$work/$1.cpu"
rm -f "$work/$1.times.\$\$"
exit \$rc
WRAPPER
  chmod +x "$dir/terraform-provider-${type}_v$lib_plugin_version"
}
for c in "${contenders[@]}"; do setup "$c"; done

# config contender count: the contender's configuration of count resources,
# and init. The do-nothing resources take the same arguments, and a name.
config() {
  local dir=$work/$1 count=$2 type=flowroute resource=flowroute_phone_number name=
  if [ "$1" = noop ] || [ "$1" = default ]; then
    type=noop resource=noop_thing name='name = each.key'
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  cat >"$dir/main.tf" <<TF
terraform {
  required_providers {
    $type = { source = "flowroute-community/$type" }
  }
}
resource "$resource" "each" {
  for_each            = toset([for i in range($count) : format("n%03d", i)])
  search              = { state = "ny" }
  deletion_protection = false
  $name
}
TF
  "$tofu" -chdir="$dir" init -input=false -no-color -plugin-dir="$work/plugins-$1" >/dev/null
}

# timed contender command...: runs the CLI with the arguments in the
# contender's configuration, and sets wall_ms, cpu_ms (all the contender's
# processes) and requests (those the simulator logged meanwhile).
timed() {
  local c=$1 before start
  shift
  : >"$work/$c.cpu"
  before=$(wc -l <"$work/sim.err")
  start=$(lib_now_ms)
  "$tofu" -chdir="$work/$c" "$@" -input=false -no-color -parallelism=$parallelism >"$work/cmd.log" 2>&1 ||
    { cat "$work/cmd.log" >&2; echo "$* failed for $c" >&2; exit 1; }
  wall_ms=$(($(lib_now_ms) - start))
  cpu_ms=$(awk '{ s += $1 + $2 } END { printf "%d", s * 1000 + 0.5 }' "$work/$c.cpu")
  requests=$(tail -n +$((before + 1)) "$work/sim.err" | awk '$2 ~ /^[A-Z]+$/ && index($3, "/v2/") == 1' | wc -l)
}

tsv=$out/cpu.tsv
printf 'section\tn\trun\tprovider\twall_ms\tcpu_ms\trequests\n' >"$tsv"
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" "$wall_ms" "$cpu_ms" "$requests" >>"$tsv"; }

echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $cli_version"
for n in "${sizes[@]}"; do
  echo "refresh: buying $n numbers and creating $n noop_thing (untimed)"
  sim_start -log
  for c in "${contenders[@]}"; do config "$c" "$n"; done
  profile setup
  timed flowroute apply -auto-approve
  timed noop apply -auto-approve
  # The baseline refreshes the same numbers, the default the same things.
  [ ! -d "$work/baseline" ] || cp "$work/flowroute/terraform.tfstate" "$work/baseline/"
  cp "$work/noop/terraform.tfstate" "$work/default/"
  profile refresh
  for run in $(seq "$runs"); do
    for c in "${contenders[@]}"; do
      # -detailed-exitcode: 0 is no changes, 2 (changes) fails the run.
      timed "$c" plan -detailed-exitcode
      record refresh "$n" "$run" "$c"
    done
  done
  sim_stop
done

echo "purchase: $purchases numbers at ${latency_ms} ms and $purchases noop_thing, $runs rounds"
for c in "${contenders[@]}"; do config "$c" "$purchases"; done
profile purchase
for run in $(seq "$runs"); do
  for c in "${contenders[@]}"; do
    rm -f "$work/$c"/terraform.tfstate*
    [ "$c" = noop ] || [ "$c" = default ] || sim_start -log -latency "${latency_ms}ms"
    timed "$c" apply -auto-approve
    record purchase "$purchases" "$run" "$c"
    sim_stop
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# The medians, per section, N and contender; the floor of the purchase's
# wall time is the noop apply's plus 2 waves x 2 round trips x latency.
awk -F'\t' -v lat="$latency_ms" -v par="$parallelism" '
  function median(list,   a, c, i, j, v) {
    c = split(list, a, " ")
    for (i = 2; i <= c; i++) { v = a[i]; for (j = i - 1; j >= 1 && a[j] > v; j--) a[j + 1] = a[j]; a[j + 1] = v }
    return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
  }
  NR > 1 { k = $1 SUBSEP $2; keys[k] = 1; seen[$4] = 1; wall[k, $4] = wall[k, $4] " " $5; cpu[k, $4] = cpu[k, $4] " " $6; req[k, $4] = req[k, $4] " " $7 }
  END {
    printf "%-9s %4s  %-10s %12s %7s  %8s %9s %6s  %8s\n", "", "N", "", "CPU/res ms", "x floor", "wall ms", "floor ms", "x", "requests"
    for (k in keys) {
      split(k, p, SUBSEP); n = p[2]
      nc = median(cpu[k, "noop"]); nw = median(wall[k, "noop"])
      if (p[1] == "purchase") nw += int((n + par - 1) / par) * 2 * lat
      for (c in seen) {
        fc = median(cpu[k, c]); fw = median(wall[k, c])
        printf "%-9s %4d  %-10s %12.2f %6.2fx  %8d %9d %5.2fx  %8s\n", p[1], n, c, fc / n, fc / nc, fw, nw, fw / nw, median(req[k, c])
      }
    }
  }' "$tsv" | sort -k1,1 -k2n -k3
