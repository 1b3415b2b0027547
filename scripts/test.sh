#!/usr/bin/env bash
# Sets up the project (first run only) and runs the whole test suite: type check, lint, format
# check, and the vitest suites against real PostgreSQL, Temporal and SMTP servers started by the tests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"

# The PDF tests read rendered documents back with pdftotext (Debian's poppler-utils), and the
# deployment test parses docker-compose.yml with a compose tool. Both are installed when missing and
# this runs as root with apt; otherwise those checks are skipped.
missing=()
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if [[ ${#missing[@]} -gt 0 && "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "[test] installing ${missing[*]}" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null
fi

source "$root/scripts/node-env.sh"
cd "$root"
exec npm test
