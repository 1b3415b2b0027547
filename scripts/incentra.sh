#!/usr/bin/env bash
# Runs the `incentra` command with the project's Node.js (22 or newer) after scripts/setup.sh,
# for example `bash scripts/incentra.sh serve` or `bash scripts/incentra.sh --help`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/node-env.sh"
if [[ ! -f "$root/dist/cli/main.js" ]]; then
  echo "incentra: dist/cli/main.js is missing; run 'bash scripts/setup.sh' first" >&2
  exit 2
fi
exec node "$root/dist/cli/main.js" "$@"
