#!/usr/bin/env bash
# The cost of the generated layer, for comparing codegen changes: regeneration beside the
# raw parse, the size of pts-api/src/generated, and the clean debug build of pts-api, each
# measured for this checkout and for BASE in the same run.
#
#   bash bench/generated.sh                 # BASE=86dd365 (before generated code was shared), ROUNDS=3
#   BASE=HEAD~1 ROUNDS=5 bash bench/generated.sh
#
# Build times swing on a shared machine: BASE and this checkout are built alternately,
# each in its own target dir, and the best of ROUNDS is taken; user CPU seconds (less
# sensitive to other processes than wall time) are printed beside wall time.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${ROUNDS:-3}
cd "$REPO"

say() { printf '\n== %s\n' "$*" >&2; }
now() { date +%s.%N; }
min() { sort -g | head -n1; }

say "regeneration vs raw parse (cargo bench -p xtask --bench regen)"
cargo bench -q -p xtask --bench regen 2>/dev/null | grep -E 'parse|regen|generated'

say "generated code (pts-api/src/generated): this checkout, then BASE"
BASE=${BASE:-86dd365}
base_dir=$(mktemp -d "${TMPDIR:-/tmp}/pts-api-base.XXXXXX")
trap 'git worktree remove --force "$base_dir" >/dev/null 2>&1 || true; rm -rf "$base_dir"' EXIT
git worktree add -q --detach "$base_dir" "$BASE"
lines() {
  local gen=$1/pts-api/src/generated
  printf '%-14s %4d files %7d lines %7d without comments and blank lines\n' "$2" \
    "$(find "$gen" -name '*.rs' | wc -l)" "$(find "$gen" -name '*.rs' -exec cat {} + | wc -l)" \
    "$(find "$gen" -name '*.rs' -exec cat {} + | grep -cv -e '^[[:space:]]*$' -e '^[[:space:]]*//')"
}
lines "$REPO" "this checkout"
lines "$base_dir" "BASE $BASE"

say "clean debug build of pts-api, best of $ROUNDS, BASE and this checkout alternately"
cargo fetch -q && (cd "$base_dir" && cargo fetch -q)
TIMEFORMAT='%R %U'
timed() { { time "$@" >/dev/null 2>&1; } 2>&1; }
declare -A target deps alone
for side in head base; do
  target[$side]=$(mktemp -d "${TMPDIR:-/tmp}/pts-api-build.XXXXXX")
done
src() { if [ "$1" = head ]; then echo "$REPO"; else echo "$base_dir"; fi; }
for side in head base; do
  deps[$side]=$(cd "$(src $side)" && CARGO_TARGET_DIR=${target[$side]} CARGO_INCREMENTAL=0 \
    timed cargo build -q --offline -p pts-api)
done
for _ in $(seq "$ROUNDS"); do
  for side in head base; do
    (cd "$(src $side)" && CARGO_TARGET_DIR=${target[$side]} cargo clean -q -p pts-api)
    alone[$side]+="$(cd "$(src $side)" && CARGO_TARGET_DIR=${target[$side]} CARGO_INCREMENTAL=0 \
      timed cargo build -q --offline -p pts-api);"
  done
done
rm -rf "${target[head]}" "${target[base]}"
best() { tr ';' '\n' | grep . | sort -g -k"$1" | head -n1 | cut -d' ' -f"$1"; }
printf '%-28s %8s %8s %8s\n' "" "BASE" "this" "ratio"
row() {
  printf '%-28s %7.1fs %7.1fs %7.2fx\n' "$1" "$2" "$3" "$(awk "BEGIN{print $3 / $2}")"
}
row "with dependencies, wall" "${deps[base]% *}" "${deps[head]% *}"
row "pts-api alone, wall" "$(echo "${alone[base]}" | best 1)" "$(echo "${alone[head]}" | best 1)"
row "pts-api alone, user CPU" "$(echo "${alone[base]}" | best 2)" "$(echo "${alone[head]}" | best 2)"
