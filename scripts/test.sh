#!/usr/bin/env bash
# Sets up the project (first run only) and runs the whole test suite: type check, lint, format
# check, and the vitest suites against real PostgreSQL, Temporal and SMTP servers started by the tests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"

# The PDF tests read rendered documents back with pdftotext from Debian's poppler-utils.
if ! command -v pdftotext >/dev/null 2>&1 && [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "[test] installing poppler-utils for pdftotext" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils) >/dev/null
fi

source "$root/scripts/node-env.sh"
cd "$root"
exec npm test
