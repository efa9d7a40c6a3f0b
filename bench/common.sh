# Shared setup for the on-demand benchmarks: builds the reference helpers of
# ../shared/bench in $WORK (never in ../shared, which is read-only), makes a venv with the
# official Python SDK, and starts the loopback fixed-response server. Sourced, not run.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${PTS_SHARED_DIR:-$REPO/../shared}
ANCHORS=$SHARED/bench
WORK=${WORK:-/tmp/pts-bench}
PY=${PTS_PYTHON:-$WORK/.venv/bin/python}
ROUNDS=${ROUNDS:-5}
mkdir -p "$WORK/src"

say() { printf '\n== %s\n' "$*" >&2; }

# Median of the numbers on stdin.
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# ratio A B -> A/B with 2 decimals
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }

setup_python() {
  if [[ ! -x $PY ]]; then
    say "venv with alibabacloud-pts20201020==1.10.0 alibabacloud-tea-openapi==0.4.6"
    python3 -m venv "$WORK/.venv"
    PY=$WORK/.venv/bin/python
    "$PY" -m pip install -q alibabacloud-pts20201020==1.10.0 alibabacloud-tea-openapi==0.4.6
  fi
}

# Copies and builds anchor-helper (fixed-server, hyper-load, clap-hello) and build-floor.
build_helpers() {
  say "build reference helpers in $WORK/src"
  for d in anchor-helper build-floor; do
    rm -rf "$WORK/src/$d/src"
    mkdir -p "$WORK/src/$d"
    cp -r "$ANCHORS/$d/src" "$ANCHORS/$d/Cargo.toml" "$WORK/src/$d/"
    (cd "$WORK/src/$d" && cargo build --release -q)
  done
  FIXED=$WORK/src/anchor-helper/target/release/fixed-server
  FLOOR=$WORK/src/build-floor/target/release/build-floor
  CLAP_HELLO=$WORK/src/anchor-helper/target/release/clap-hello
  HYPER_LOAD=$WORK/src/anchor-helper/target/release/hyper-load
}

# Starts fixed-server pinned to CPU 1 on 127.0.0.1:$PORT; it exits by itself after 15 min.
start_fixed_server() {
  PORT=${PORT:-18080}
  taskset -c 1 "$FIXED" --addr "127.0.0.1:$PORT" --max-secs 900 2>"$WORK/fixed-server.log" &
  FIXED_PID=$!
  trap 'kill $FIXED_PID 2>/dev/null || true' EXIT
  for _ in $(seq 50); do
    (echo >/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && return 0
    sleep 0.1
  done
  echo "fixed-server did not start" >&2
  return 1
}
