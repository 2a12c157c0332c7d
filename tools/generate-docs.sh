#!/usr/bin/env bash
# make docs: generate docs/ with tfplugindocs, offline. The provider schema
# comes from the CLI (providers schema -json) on the locally built provider,
# so tfplugindocs needs no Terraform download.
set -euo pipefail
tofu=$1
provider_dir=$2
tfplugindocs=$3
root=$(cd "$(dirname "$0")/.." && pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat >"$work/cli.tfrc" <<TFRC
provider_installation {
  dev_overrides {
    "flowroute-community/flowroute" = "$provider_dir"
  }
  direct {}
}
TFRC
mkdir "$work/config"
cp "$root/examples/provider/provider.tf" "$work/config/"
# tfplugindocs looks the schema up by the provider's short name.
# tools/docs-schema adds the list resources, which OpenTofu does not show.
TF_CLI_CONFIG_FILE="$work/cli.tfrc" "$tofu" -chdir="$work/config" providers schema -json |
  sed 's#"registry.opentofu.org/flowroute-community/flowroute":#"flowroute":#' |
  (cd "$root" && go run ./tools/docs-schema) >"$work/schema.json"

cd "$root"
"$tfplugindocs" generate --provider-name flowroute --providers-schema "$work/schema.json"
