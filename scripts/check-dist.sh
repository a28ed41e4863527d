#!/usr/bin/env bash
# Fails when dist/ (the committed GitHub Action bundle) is not what the sources build to: GitHub
# runs dist/index.js as committed, so a stale bundle would run old code. Rebuilds into a temporary
# folder and compares; prints what to run when they differ. Run by CI (.github/workflows/ci.yml).
set -euo pipefail
cd "$(dirname "$0")/.."
fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT
node scripts/bundle-action.mjs "$fresh"
if ! diff -rq "$fresh" dist >/dev/null 2>&1; then
  echo "dist/ is stale: it differs from a fresh build of src/action. Run: npm run build:action, and commit dist/." >&2
  diff -rq "$fresh" dist >&2 || true
  exit 1
fi
echo "dist/ is fresh"
