#!/usr/bin/env bash
# Update safety of every reference app between a base commit and the working tree:
# synthesizes the apps at BASE (in a temporary git worktree with its own `npm ci`) and here,
# then runs `portcullis-audit diff <base cdk.out> <here cdk.out>` per app, with this tree's
# CLI. Exits 1 when an app's update would replace or remove something its users depend on
# (NAT Elastic IPs, load balancers, APIs, VPC, subnets, namespaces, log groups) without an
# acknowledgement, 2 on errors.
#
#   bash scripts/diff-apps.sh [BASE]        BASE defaults to the merge base with origin/main (or main)
#   DIFF_APPS_JSON=1 bash scripts/diff-apps.sh BASE   also writes dist/update-safety/<app>.json
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

base_ref=${1:-}
if [ -z "$base_ref" ]; then
  base_ref=$(git merge-base HEAD origin/main 2>/dev/null || git merge-base HEAD main)
fi
base=$(git rev-parse --verify "$base_ref^{commit}") || { echo "diff-apps: unknown commit '$base_ref'" >&2; exit 2; }
echo "diff-apps: base $base ($base_ref), head $(git rev-parse HEAD)$( [ -n "$(git status --porcelain --untracked-files=no)" ] && echo ' + uncommitted changes')"

work=$(mktemp -d)
cleanup() { git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

git worktree add --detach "$work/base" "$base" >/dev/null
echo "diff-apps: synthesizing the apps at the base (npm ci + build + synth; a few minutes)"
(cd "$work/base" && npm ci --no-audit --no-fund >/dev/null && npx nx run-many -t synth --outputStyle=static >"$work/base-synth.log" 2>&1) \
  || { echo "diff-apps: the base did not synthesize; see below" >&2; tail -40 "$work/base-synth.log" >&2; exit 2; }
echo "diff-apps: synthesizing the apps here"
npx nx run-many -t synth --outputStyle=static >"$work/head-synth.log" 2>&1 \
  || { echo "diff-apps: this tree did not synthesize; see below" >&2; tail -40 "$work/head-synth.log" >&2; exit 2; }

cli="$root/packages/audit/lib/cli.js"
status=0
for dir in apps/*/; do
  app=$(basename "$dir")
  [ -f "$dir/cdk.json" ] || continue
  before="$work/base/apps/$app/cdk.out"
  after="$root/apps/$app/cdk.out"
  echo
  echo "=== $app"
  if [ ! -d "$before" ]; then
    echo "(new app: nothing deployed to compare with)"
    continue
  fi
  rc=0
  node "$cli" diff "$before" "$after" || rc=$?
  if [ -n "${DIFF_APPS_JSON:-}" ]; then
    mkdir -p dist/update-safety
    node "$cli" diff "$before" "$after" --json >"dist/update-safety/$app.json" || true
  fi
  if [ "$rc" -gt "$status" ]; then status=$rc; fi
done
exit "$status"
