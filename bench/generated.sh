#!/usr/bin/env bash
# The cost of the generated layer, for comparing codegen changes (for example before and
# after emitting shared shapes once): regeneration beside the raw parse, the size of
# pts-api/src/generated, and the clean debug build time of pts-api.
#
#   bash bench/generated.sh            # ROUNDS=3 clean builds, best taken
#
# Build times swing widely on a shared machine, so each is the best of ROUNDS runs. The
# clean build uses a fresh CARGO_TARGET_DIR per round (all of pts-api's dependencies
# included); "pts-api alone" then rebuilds only the pts-api crate in that target dir.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${ROUNDS:-3}
cd "$REPO"

say() { printf '\n== %s\n' "$*" >&2; }
now() { date +%s.%N; }
min() { sort -g | head -n1; }

say "regeneration vs raw parse (cargo bench -p xtask --bench regen)"
cargo bench -q -p xtask --bench regen 2>/dev/null | grep -E 'parse|regen|generated'

say "generated code (pts-api/src/generated)"
gen=pts-api/src/generated
for part in operations shapes; do
  printf '%-11s %5d files %7d lines\n' "$part" "$(find "$gen/$part" -name '*.rs' | wc -l)" \
    "$(find "$gen/$part" -name '*.rs' -exec cat {} + | wc -l)"
done
printf '%-11s %5d files %7d lines %8d bytes\n' total "$(find "$gen" -name '*.rs' | wc -l)" \
  "$(find "$gen" -name '*.rs' -exec cat {} + | wc -l)" \
  "$(find "$gen" -name '*.rs' -exec cat {} + | wc -c)"

say "clean debug build of pts-api, best of $ROUNDS"
cargo fetch -q
full=() alone=()
for _ in $(seq "$ROUNDS"); do
  dir=$(mktemp -d "${TMPDIR:-/tmp}/pts-api-build.XXXXXX")
  t0=$(now)
  CARGO_TARGET_DIR=$dir CARGO_INCREMENTAL=0 cargo build -q --offline -p pts-api
  t1=$(now)
  CARGO_TARGET_DIR=$dir cargo clean -q -p pts-api
  t2=$(now)
  CARGO_TARGET_DIR=$dir CARGO_INCREMENTAL=0 cargo build -q --offline -p pts-api
  t3=$(now)
  full+=("$(awk "BEGIN{print $t1 - $t0}")") alone+=("$(awk "BEGIN{print $t3 - $t2}")")
  rm -rf "$dir"
done
printf 'clean build with dependencies: %.1f s (runs: %s)\n' \
  "$(printf '%s\n' "${full[@]}" | min)" "${full[*]}"
printf 'pts-api crate alone:           %.1f s (runs: %s)\n' \
  "$(printf '%s\n' "${alone[@]}" | min)" "${alone[*]}"
