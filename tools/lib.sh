# Shared by tools/demo.sh, tools/bench-apply.sh, tools/bench-foreach.sh and
# tools/bench-purchase.sh, which source it: runs the CLI offline on the locally
# built provider against the Flowroute simulator.
# init installs the provider from a local plugin directory, so nothing needs a
# registry: init refuses to run offline with a dev_overrides configuration.
#
# lib_init sets root (the repository) and work (a temporary directory), and
# a trap that stops the simulator and removes work on exit.

lib_plugin_version=0.1.0
lib_access_key=demo-access-key
lib_secret_key=demo-secret-key

lib_init() {
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  work=$(mktemp -d)
  sim_pid=
  trap lib_cleanup EXIT
}

lib_cleanup() {
  sim_stop
  rm -rf "$work"
}

# build_sim builds tools/flowroute-sim into $work.
build_sim() {
  go build -o "$work/flowroute-sim" "$root/tools/flowroute-sim"
}

# sim_start [flag...] starts the simulator on a free loopback port with the
# demo keys and the given extra flags, waits for its base URL, and exports it
# with the keys as FLOWROUTE_BASE_URL, FLOWROUTE_ACCESS_KEY, FLOWROUTE_SECRET_KEY.
sim_start() {
  # Emptied here, not by the redirection in the background: else a restart
  # could read the last simulator's base URL before the new one begins.
  : >"$work/sim.out"
  "$work/flowroute-sim" -listen 127.0.0.1:0 -access-key "$lib_access_key" -secret-key "$lib_secret_key" "$@" \
    >"$work/sim.out" 2>"$work/sim.err" &
  sim_pid=$!
  for _ in $(seq 100); do
    [ -s "$work/sim.out" ] && break
    kill -0 "$sim_pid" 2>/dev/null || { cat "$work/sim.err" >&2; exit 1; }
    sleep 0.1
  done
  base_url=$(head -n 1 "$work/sim.out")
  [ -n "$base_url" ] || { echo "the simulator did not start" >&2; cat "$work/sim.err" >&2; exit 1; }
  export FLOWROUTE_BASE_URL="$base_url" FLOWROUTE_ACCESS_KEY="$lib_access_key" FLOWROUTE_SECRET_KEY="$lib_secret_key"
}

# sim_stop stops the simulator that sim_start started, if it runs.
sim_stop() {
  if [ -n "${sim_pid:-}" ]; then
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
    sim_pid=
  fi
}

# cli_setup provider_binary config_file makes $work/plugins a plugin
# directory holding the provider, $work/config a configuration holding
# config_file, and an empty CLI configuration so no user setting leaks in.
cli_setup() {
  # The CLI takes the version from the plugin directory's layout.
  local platform plugins
  platform=$(go env GOOS)_$(go env GOARCH)
  plugins="$work/plugins/registry.opentofu.org/flowroute-community/flowroute/$lib_plugin_version/$platform"
  mkdir -p "$plugins" "$work/config"
  cp "$1" "$plugins/terraform-provider-flowroute_v$lib_plugin_version"
  cp "$2" "$work/config/"
  : >"$work/cli.tfrc"
  export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1
}

# cli_init tofu runs init on $work/config from the plugin directory.
cli_init() {
  "$1" -chdir="$work/config" init -input=false -no-color -plugin-dir="$work/plugins" >/dev/null
}

# time_applies tofu runs latency [apply flag...] starts the simulator with
# that latency on every answer, runs init, then apply runs times, each from an
# empty state, and stops the simulator. It sets times (ms of each apply, in
# order), min_ms and median_ms (lib_stats), requests_per_run (requests the
# simulator got, per apply) and requests_by_method (the same by method, such
# as requests_by_method[POST]).
time_applies() {
  local tofu=$1 runs=$2 latency=$3 start method count
  shift 3
  # -log prints one line per request, to count them.
  sim_start -latency "$latency" -log
  cli_init "$tofu"
  times=()
  for _ in $(seq "$runs"); do
    rm -f "$work/config/terraform.tfstate" "$work/config/terraform.tfstate.backup"
    start=$(lib_now_ms)
    "$tofu" -chdir="$work/config" apply -auto-approve -input=false -no-color "$@" >"$work/apply.log" ||
      { cat "$work/apply.log" >&2; exit 1; }
    times+=($(($(lib_now_ms) - start)))
  done
  sim_stop
  lib_stats
  requests_per_run=0
  declare -gA requests_by_method=()
  # A request's line: time, method, path and query, auth=...
  while read -r method count; do
    requests_by_method[$method]=$(awk -v r="$count" -v n="$runs" 'BEGIN { printf "%g", r / n }')
    requests_per_run=$((requests_per_run + count))
  done < <(awk '$2 ~ /^[A-Z]+$/ && index($3, "/v2/") == 1 { n[$2]++ } END { for (m in n) print m, n[m] }' "$work/sim.err")
  requests_per_run=$(awk -v r="$requests_per_run" -v n="$runs" 'BEGIN { printf "%g", r / n }')
}

# lib_stats sets min_ms and median_ms of the times array.
lib_stats() {
  local mid sorted
  mapfile -t sorted < <(printf '%s\n' "${times[@]}" | sort -n)
  # The median of an even count is the mean of the middle two.
  mid=$((${#sorted[@]} / 2))
  if ((${#sorted[@]} % 2)); then median_ms=${sorted[mid]}; else median_ms=$(((sorted[mid - 1] + sorted[mid]) / 2)); fi
  min_ms=${sorted[0]}
}

lib_now_ms() { echo $(($(date +%s%N) / 1000000)); }
