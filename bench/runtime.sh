#!/usr/bin/env bash
# pts-api against the official Python SDK and the bare reqwest loop (build-floor), in one
# run, on the same loopback fixed-response server (issue: pts-api runtime, benchmarks).
#   bash bench/runtime.sh        (ROUNDS=5 by default; WORK=/tmp/pts-bench)
# Server on CPU 1, every client on CPU 0. All traffic goes to 127.0.0.1.
source "$(dirname "$0")/common.sh"
setup_python
build_helpers
say "build pts-api benches (release)"
(cd "$REPO" && cargo bench -q -p pts-api --bench calls --bench sign --no-run 2>/dev/null)
start_fixed_server
export PTS_ENDPOINT=127.0.0.1:$PORT

: >"$WORK/sdk.txt"; : >"$WORK/floor.txt"; : >"$WORK/ours.txt"
for r in $(seq "$ROUNDS"); do
  say "round $r/$ROUNDS: sequential ListPtsScene, 2000 calls each"
  (cd "$ANCHORS" && taskset -c 0 "$PY" sdk_seq.py 2000) |
    sed -n 's/.*calls_per_s=\([0-9.]*\).*/\1/p' >>"$WORK/sdk.txt"
  taskset -c 0 "$FLOOR" --endpoint "$PTS_ENDPOINT" --calls 2000 |
    sed -n 's/.*calls_per_s=\([0-9.]*\).*/\1/p' >>"$WORK/floor.txt"
  (cd "$REPO" && PTS_BENCH_ENDPOINT=$PTS_ENDPOINT PTS_BENCH_RUNS=1 PTS_BENCH_CALLS=2000 \
    taskset -c 0 cargo bench -q -p pts-api --bench calls 2>/dev/null) |
    sed -n 's/^Client ListPtsScene *calls\/s min *[0-9.]* *median *\([0-9.]*\).*/\1/p' >>"$WORK/ours.txt"
done
sdk=$(median <"$WORK/sdk.txt"); floor=$(median <"$WORK/floor.txt"); ours=$(median <"$WORK/ours.txt")

say "signing: the SDK's ACS3 helpers vs pts_api::wire (v3)"
sdk_sign=$(cd "$ANCHORS" && taskset -c 0 "$PY" sdk_sign.py 10000 | sed -n 's/.*sign_only_us=\([0-9.]*\).*/\1/p')
our_sign_ns=$(cd "$REPO" && taskset -c 0 cargo bench -q -p pts-api --bench sign 2>/dev/null |
  sed -n 's/^v3 .*median *\([0-9.]*\) ns\/op.*/\1/p')
our_sign=$(python3 -c "print(f'{$our_sign_ns/1000:.2f}')")

cat <<REPORT

pts-api runtime benchmark (medians of $ROUNDS rounds; server CPU 1, clients CPU 0)
  sequential ListPtsScene calls/s: official Python SDK $sdk, build-floor $floor, pts-api $ours
  pts-api / Python SDK: $(ratio "$ours" "$sdk")x   (goal >= 3x)
  pts-api / build-floor: $(ratio "$ours" "$floor")x   (goal >= 0.9x)
  signing (v3, one request): SDK ${sdk_sign} us, pts-api ${our_sign} us, SDK / pts-api $(ratio "$sdk_sign" "$our_sign")x   (goal >= 5x)
REPORT
