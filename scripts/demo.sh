#!/usr/bin/env bash
# Sets up the project (first run only) and runs the main job on the embedded defaults: one pay
# period from demo data to approved statements, SAP records, PDFs and emails. Extra arguments go to
# `incentra demo` (see `incentra demo --help`).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
source "$root/scripts/node-env.sh"
cd "$root"
exec node dist/cli/main.js demo "$@"
