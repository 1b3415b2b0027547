# Sourced by the project's scripts: puts Node.js 22 (installed by scripts/setup.sh into .tools/node
# when the machine's Node is older) and the Temporal binaries in .tools/python/bin first on PATH.
incentra_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -x "$incentra_root/.tools/node/node_modules/.bin/node" ]]; then
  PATH="$incentra_root/.tools/node/node_modules/.bin:$PATH"
fi
PATH="$incentra_root/.tools/python/bin:$PATH"
export PATH
