#!/usr/bin/env bash
# The main job with no cloud account: build pts, start the PTS-compatible local service on
# loopback, and drive a scene through its life with the same commands you would use
# against the real PTS. Everything stays on 127.0.0.1 and stops by itself.
#   bash examples/quickstart.sh
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
export PTS_CONFIG=$WORK/config.json          # keep this demo out of your own pts config
export ALIBABA_CLOUD_ECS_METADATA_DISABLED=true
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
say() { printf '\n== %s\n' "$*"; }

say "build pts (release)"
(cd "$REPO" && cargo build --release -q -p pts-cli)
PTS=$REPO/target/release/pts

say "a target service to load-test: python's http.server on 127.0.0.1"
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$WORK" >"$WORK/target.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do
  TARGET_PORT=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$WORK/target.log" | head -1)
  [[ -n ${TARGET_PORT:-} ]] && break
  sleep 0.1
done
echo "target on 127.0.0.1:$TARGET_PORT"

say "pts local serve (time scale 10: the one-minute scene runs 6 seconds; writes the local profile)"
"$PTS" local serve --port 0 --data "$WORK/data" --time-scale 10 \
  --endpoint-file "$WORK/endpoint" >"$WORK/serve.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [[ -s $WORK/endpoint ]] && break; sleep 0.1; done
cat "$WORK/serve.log"
pts() { "$PTS" --profile local "$@"; }

say "the API, from the inventory compiled into pts"
pts api list --kind mutating -o table | head -8

say "create a scene (validated before anything is sent)"
cat >"$WORK/scene.json" <<JSON
{"SceneName": "quickstart",
 "RelationList": [{"RelationName": "browse", "ApiList": [
   {"ApiName": "home", "Url": "http://127.0.0.1:$TARGET_PORT/", "Method": "GET",
    "RedirectCountLimit": 10, "TimeoutInSecond": 5,
    "CheckPointList": [{"CheckType": "STATUS_CODE", "Operator": "eq", "ExpectValue": "200"}]}]}],
 "LoadConfig": {"TestMode": "concurrency_mode", "MaxRunningTime": 1,
   "Configuration": {"AllConcurrencyBegin": 2, "AllConcurrencyLimit": 2}}}
JSON
SCENE=$(pts call SavePtsScene --Scene "@$WORK/scene.json" --yes --query SceneId | tr -d '"')
echo "SceneId $SCENE"
pts call ListPtsScene --PageNumber 1 --PageSize 10 -o table

say "start it, watch it, let MaxRunningTime end it"
PLAN=$(pts call StartPtsScene --SceneId "$SCENE" --yes --query PlanId | tr -d '"')
echo "PlanId $PLAN"
for _ in $(seq 40); do
  STATUS=$(pts call GetPtsSceneRunningStatus --SceneId "$SCENE" --query Status | tr -d '"')
  echo "status $STATUS"
  [[ $STATUS == STOPPED ]] && break
  pts call GetPtsSceneRunningData --SceneId "$SCENE" --PlanId "$PLAN" \
    --query '{requests: TotalRequestCount, tps: TotalRealQps, avg_rt_ms: AverageRt}' || true
  sleep 0.5
done

say "the report"
pts call ListPtsReports --PageNumber 1 --PageSize 10 -o table
pts call GetPtsReportDetails --SceneId "$SCENE" --PlanId "$PLAN" --query '{overview: ReportOverView, scene: SceneMetrics}'

say "safety: a mutating call without --yes outside a terminal is refused (exit 2)"
pts call DeletePtsScene --SceneId "$SCENE" </dev/null || echo "exit $? (nothing was sent)"

say "done: try 'pts api describe SavePtsScene' or 'pts --help'"
