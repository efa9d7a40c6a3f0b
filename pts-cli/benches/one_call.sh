#!/usr/bin/env bash
# One `pts call ListPtsScene` process end to end, side by side in the same run with the
# official Python SDK (`sdk_one.py`) and the bare Rust one-call binary (`build-floor`),
# against the same loopback server (`anchor-helper`'s fixed-server). Also `pts --help` vs
# `clap-hello --help`, peak RSS, and stripped binary sizes. See ../shared/bench/README.md
# (items 1b, 1c, 3, 4) for the method and the goals.
#
#   bash pts-cli/benches/one_call.sh            # ~5-10 min on 2 cores the first time (builds, pip)
#   RUNS=9 bash pts-cli/benches/one_call.sh     # more rounds
#
# Knobs (env): WORK (default /tmp/pts-cli-bench: venv, helper builds, logs; never the repo
# or ../shared), RUNS (5), PORT (18090), SERVER_CPU (1), GEN_CPU (0), SKIP_INSTALL.
# All traffic goes to 127.0.0.1; the server exits by itself after 600 s at most and is
# stopped by PID when this script exits.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
WS=$(cd "$HERE/../.." && pwd)
SHARED=${PTS_SHARED_DIR:-$WS/../shared}
BENCH=$(cd "$SHARED/bench" && pwd)
WORK=${WORK:-/tmp/pts-cli-bench}
RUNS=${RUNS:-5}
PORT=${PORT:-18090}
SERVER_CPU=${SERVER_CPU:-1}
GEN_CPU=${GEN_CPU:-0}
PY=$WORK/.venv/bin/python
mkdir -p "$WORK/logs" "$WORK/pts-home"
say() { printf '== %s\n' "$*" >&2; }
pin() { if command -v taskset >/dev/null; then taskset -c "$1" "${@:2}"; else "${@:2}"; fi; }

PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [[ -n "$p" ]] && { kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; } || true; done; }
trap cleanup EXIT

# ------------------------------------------------------------------ setup
if [[ -z "${SKIP_INSTALL:-}" && ! -x $PY ]]; then
  say "venv with the official SDK (alibabacloud-pts20201020 1.10.0, tea-openapi 0.4.6)"
  python3 -m venv "$WORK/.venv"
  "$PY" -m pip install -q alibabacloud-pts20201020==1.10.0 alibabacloud-tea-openapi==0.4.6 \
    >"$WORK/logs/pip.log" 2>&1
fi
# The venv's interpreter (a symlink to the real binary), never the pyenv shim.
"$PY" -c 'import alibabacloud_pts20201020.client' || { echo "SDK missing in $PY" >&2; exit 1; }

say "helpers (copied to $WORK/src: cargo writes a Cargo.lock beside a manifest)"
mkdir -p "$WORK/src"
for d in anchor-helper build-floor; do
  rm -rf "$WORK/src/$d" && cp -r "$BENCH/$d" "$WORK/src/$d" && chmod -R u+w "$WORK/src/$d"
done
cargo build -q --release --manifest-path "$WORK/src/anchor-helper/Cargo.toml" --target-dir "$WORK/helper-target"
cargo build -q --release --manifest-path "$WORK/src/build-floor/Cargo.toml" --target-dir "$WORK/floor-target"
HELPER=$WORK/helper-target/release
FLOOR=$WORK/floor-target/release/build-floor

say "pts (release)"
(cd "$WS" && cargo build -q --release -p pts-cli)
TARGET=$(cd "$WS" && cargo metadata -q --format-version 1 --no-deps |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
PTS=$TARGET/release/pts

# ------------------------------------------------------------------ server
# Started directly (not through the `pin` function, whose subshell would get the PID).
SERVER=("$HELPER/fixed-server" --addr "127.0.0.1:$PORT" --max-secs 600)
if command -v taskset >/dev/null; then SERVER=(taskset -c "$SERVER_CPU" "${SERVER[@]}"); fi
"${SERVER[@]}" 2>"$WORK/logs/fixed.log" &
PIDS+=($!)
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done

# The environment every command sees: loopback endpoint, dummy keys, no ECS probing.
export PTS_ENDPOINT=127.0.0.1:$PORT PTS_PROTOCOL=http
export ALIBABA_CLOUD_ACCESS_KEY_ID=ak ALIBABA_CLOUD_ACCESS_KEY_SECRET=sk
export ALIBABA_CLOUD_ECS_METADATA_DISABLED=true HOME=$WORK/pts-home PTS_CONFIG=$WORK/pts-home/config.json
"$PTS" call ListPtsScene --PageNumber 1 --PageSize 10 >/dev/null  # fails loudly if broken

# ------------------------------------------------------------------ measure
say "whole-process times: $RUNS rounds, A B C D E in turn, client on CPU $GEN_CPU"
cd "$BENCH"  # sdk_one.py imports sdk_common from its directory
pin "$GEN_CPU" "$PY" proc_time.py "$RUNS" \
  "$PY $BENCH/sdk_one.py" \
  "$PTS call ListPtsScene --PageNumber 1 --PageSize 10" \
  "$FLOOR --endpoint 127.0.0.1:$PORT --calls 1" \
  "$PTS --help" \
  "$HELPER/clap-hello --help" | tee "$WORK/logs/proc.txt" >&2

strip -o "$WORK/pts.stripped" "$PTS"
strip -o "$WORK/floor.stripped" "$FLOOR"

# ------------------------------------------------------------------ report
"$PY" - "$WORK/logs/proc.txt" "$WORK/pts.stripped" "$WORK/floor.stripped" <<'EOF'
import os, re, sys
rows = []
for line in open(sys.argv[1]):
    m = re.search(r"wall_ms ([\d.]+)/([\d.]+)/([\d.]+).*rss_MiB ([\d.]+)/([\d.]+)/([\d.]+)", line)
    if m:
        rows.append(dict(wall=float(m[2]), rss=float(m[5]), cmd=line.split("|", 1)[1].strip()))
sdk, pts, floor, help_, clap = rows
pts_size, floor_size = (os.path.getsize(p) for p in sys.argv[2:4])
def line(name, value, goal, ok):
    print(f"| {name:<44} | {value:>22} | {goal:<12} | {'ok' if ok else 'MISSED'} |")
print(f"| {'measure':<44} | {'result':>22} | {'goal':<12} | |")
print(f"|{'-'*46}|{'-'*24}|{'-'*14}|---|")
line("SDK sdk_one.py, wall (median ms)", f"{sdk['wall']:.1f}", "", True)
line("build-floor --calls 1, wall (median ms)", f"{floor['wall']:.1f}", "", True)
line("pts call ListPtsScene, wall (median ms)", f"{pts['wall']:.1f}", "", True)
line("pts / SDK wall", f"1/{sdk['wall']/pts['wall']:.1f}", "<= 1/20", pts['wall'] * 20 <= sdk['wall'])
line("pts / build-floor wall", f"{pts['wall']/floor['wall']:.2f}x", "<= 2x", pts['wall'] <= 2 * floor['wall'])
line("peak RSS SDK / floor / pts (MiB)", f"{sdk['rss']:.1f} / {floor['rss']:.1f} / {pts['rss']:.1f}", "", True)
line("pts / SDK peak RSS", f"1/{sdk['rss']/pts['rss']:.1f}", "<= 1/4", pts['rss'] * 4 <= sdk['rss'])
line("pts --help vs clap-hello --help (ms)", f"{help_['wall']:.1f} vs {clap['wall']:.1f}", "", True)
line("pts --help / clap-hello --help", f"{help_['wall']/clap['wall']:.2f}x", "<= 5x", help_['wall'] <= 5 * clap['wall'])
line("stripped size pts / build-floor (MiB)", f"{pts_size/2**20:.2f} / {floor_size/2**20:.2f}", "", True)
line("pts / build-floor stripped size", f"{pts_size/floor_size:.2f}x", "<= 2x", pts_size <= 2 * floor_size)
EOF
