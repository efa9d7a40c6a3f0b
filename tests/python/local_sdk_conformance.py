"""Conformance (b): the official Python SDK (alibabacloud-pts20201020 1.10.0 on
alibabacloud-tea-openapi 0.4.6) calls every one of the 44 operations against a running
pts-local, on success and error paths, with one signature version.

Usage: python local_sdk_conformance.py ENDPOINT AK SK {v3|v1} DUMP.json

ENDPOINT must be 127.0.0.1:PORT (loopback only). The server must run with one scene minute
= one real second (time scale 60) and hold users.csv, plan.jmx, data.csv and ext.jar in its
file store. Every error case checks the exact Code and HTTP status. The typed response
bodies of a set of reads (to_map()) are written to DUMP.json so the Rust driver can check
they equal, field for field, what pts-local returns for the same calls.
Prints 'N passed, M failed' and exits non-zero on any failure.
"""
import json
import sys
import time
import traceback

from alibabacloud_pts20201020 import models as m
from alibabacloud_pts20201020.client import Client
from alibabacloud_tea_openapi.models import Config

ENDPOINT, AK, SK, SIG, DUMP = sys.argv[1:6]
assert ENDPOINT.startswith("127.0.0.1:"), "loopback only"

cfg = Config(access_key_id=AK, access_key_secret=SK, endpoint=ENDPOINT, protocol="HTTP",
             read_timeout=20000, connect_timeout=5000)
if SIG == "v1":
    cfg.signature_algorithm = "v2"  # the SDK's name for RPC v1 HMAC-SHA1 (protocol.md §3)
client = Client(cfg)

PASSED = 0
FAILED = []
COVERED = set()
DUMPED = []


def snake(op):
    out = op[0].lower()
    for ch in op[1:]:
        out += ("_" + ch.lower()) if ch.isupper() else ch
    for a, b in (("j_meter", "jmeter"), ("v_switch", "vswitch")):
        out = out.replace(a, b)
    return out


def invoke(op, params):
    COVERED.add(op)
    method = getattr(client, snake(op))
    req_cls = getattr(m, op + "Request", None)
    if req_cls is None:
        return method()
    return method(req_cls().from_map(params))


def check(cond, what):
    global PASSED
    if cond:
        PASSED += 1
    else:
        FAILED.append(what)
        print("FAIL:", what, file=sys.stderr)


def ok(op, params=None, dump=False):
    params = params or {}
    try:
        resp = invoke(op, params)
    except Exception as e:  # noqa: BLE001
        FAILED.append(f"{op} {params}: raised {type(e).__name__}: {e}")
        print("FAIL:", op, e, file=sys.stderr)
        return {}
    body = resp.body.to_map()
    check(resp.status_code == 200 and bool(body.get("RequestId")), f"{op}: status {resp.status_code}")
    if "Success" in body:
        check(body["Success"] is True, f"{op}: Success {body.get('Success')}")
    if dump:
        DUMPED.append({"op": op, "params": params, "body": body})
    return body


def err(op, params, status, code):
    try:
        invoke(op, params)
    except Exception as e:  # noqa: BLE001
        got = (getattr(e, "status_code", None), getattr(e, "code", None))
        check(got == (status, code), f"{op} {params}: expected {(status, code)}, got {got}")
        return
    FAILED.append(f"{op} {params}: expected error {(status, code)}, got success")


def scene(name, minutes):
    return {
        "SceneName": name,
        "RelationList": [{
            "RelationName": "chain",
            "ApiList": [
                {"ApiName": "home", "Url": "http://127.0.0.1:9/", "Method": "GET", "RedirectCountLimit": 10,
                 "TimeoutInSecond": 5,
                 "CheckPointList": [{"CheckType": "STATUS_CODE", "CheckPoint": "", "Operator": "eq", "ExpectValue": "200"}]},
                {"ApiName": "detail", "Url": "http://127.0.0.1:9/d", "Method": "POST", "RedirectCountLimit": 0,
                 "Body": {"ContentType": "application/json", "BodyValue": "{\"q\":\"压测 a+b\"}"}},
            ],
        }],
        "LoadConfig": {"TestMode": "concurrency_mode", "MaxRunningTime": minutes, "AgentCount": 1,
                       "Configuration": {"AllConcurrencyBegin": 1, "AllConcurrencyLimit": 2}},
        "AdvanceSetting": {"LogRate": 1, "SuccessCode": "429"},
        "FileParameterList": [{"FileName": "users.csv", "FileOssAddress": "https://b.oss-cn-shanghai.aliyuncs.com/users.csv"}],
        "GlobalParameterList": [{"ParamName": "g", "ParamValue": "1"}],
    }


def pts_flow():
    camel = json.dumps({"sceneName": "camel 场景", "relationList": [{"relationName": "r", "apiList": [
        {"apiName": "a", "url": "http://127.0.0.1:9/", "method": "GET", "redirectCountLimit": 10}]}],
        "loadConfig": {"testMode": "tps_mode", "maxRunningTime": 1,
                       "configuration": {"allRpsBegin": 1, "allRpsLimit": 5}}}, ensure_ascii=False)
    camel_id = ok("CreatePtsScene", {"Scene": camel}).get("SceneId")
    err("CreatePtsScene", {"Scene": ""}, 400, "CreateSceneFail")
    err("CreatePtsScene", {"Scene": "{oops"}, 400, "4001")

    sid = ok("SavePtsScene", {"Scene": scene("sdk 场景 #1 & a+b", 10)}).get("SceneId")
    got = ok("GetPtsScene", {"SceneId": sid}).get("Scene", {})
    check(got.get("SceneName") == "sdk 场景 #1 & a+b" and got.get("Status") == "Draft", f"GetPtsScene {got}")
    check(got.get("LoadConfig", {}).get("TestMode") == "CONCURRENCY", "TestMode CONCURRENCY")
    body = got["RelationList"][0]["ApiList"][1]["Body"]["BodyValue"]
    check(body == "{\"q\":\"压测 a+b\"}", f"body kept verbatim: {body!r}")
    upd = scene("renamed", 10)
    upd["SceneId"] = sid
    upd["RelationList"][0]["RelationId"] = got["RelationList"][0]["RelationId"]
    ok("SavePtsScene", {"Scene": upd})
    bad = scene("x", 1)
    bad["SceneId"] = "NOSUCHID"
    err("SavePtsScene", {"Scene": bad}, 400, "ModifyPtsSceneFail")
    bad = scene("x", 1)
    bad["LoadConfig"]["MaxRunningTime"] = 2000
    err("SavePtsScene", {"Scene": bad}, 400, "InvalidParameter")
    bad = scene("x", 1)
    bad["FileParameterList"][0]["FileName"] = "absent.csv"
    err("SavePtsScene", {"Scene": bad}, 400, "ModifyPtsSceneFail")

    modify = {"sceneId": sid, "sceneName": "modified", "relationList": [{"relationName": "r", "apiList": [
        {"apiName": "a", "url": "http://127.0.0.1:9/", "method": "GET", "redirectCountLimit": 0}]}],
        "loadConfig": {"testMode": "concurrency_mode", "maxRunningTime": 10,
                       "configuration": {"allConcurrencyBegin": 1, "allConcurrencyLimit": 1}}}
    ok("ModifyPtsScene", {"Scene": json.dumps(modify)})
    gone = dict(modify, sceneId="NOSUCHID")
    err("ModifyPtsScene", {"Scene": json.dumps(gone)}, 400, "ModifyPtsSceneFail")
    err("GetPtsScene", {"SceneId": "NOSUCHID"}, 400, "GetPtsSceneFail")
    ok("GetPtsScene", {"SceneId": sid})

    views = ok("ListPtsScene", {"PageNumber": 1, "PageSize": 10}).get("SceneViewList", [])
    check([v["SceneId"] for v in views] == [sid, camel_id], f"list order {views}")
    ok("ListPtsScene", {"PageNumber": 1, "PageSize": 10, "KeyWord": "camel"})
    err("ListPtsScene", {"PageNumber": 1, "PageSize": 10, "KeyWord": "k" * 31}, 400, "ListPtsSceneFail")
    err("ListPtsScene", {"PageNumber": 1, "PageSize": 5}, 400, "InvalidParameter")
    err("ListPtsScene", {"PageSize": 10}, 400, "MissingParameter")

    st = ok("GetPtsSceneRunningStatus", {"SceneId": sid})
    check(st.get("Status") == "STOPPED", f"never ran: {st}")
    err("GetPtsSceneRunningStatus", {"SceneId": "NOSUCHID"}, 403, "GetPtsSceneRunningStatusFail")
    err("GetPtsReportsBySceneId", {"SceneId": sid, "PageNumber": 1, "PageSize": 10}, 400, "GetPtsReportsBySceneIdFail")
    err("StopPtsScene", {"SceneId": sid}, 400, "StopPtsSceneFail")
    err("AdjustPtsSceneSpeed", {"SceneId": "NOSUCHID", "ApiSpeedList": []}, 403, "SceneNotExist")

    plan = ok("StartPtsScene", {"SceneId": sid}).get("PlanId")
    err("StartPtsScene", {"SceneId": sid}, 400, "StartPtsSceneFail")
    err("StartPtsScene", {"SceneId": "NOSUCHID"}, 400, "StartPtsSceneFail")
    err("DeletePtsScene", {"SceneId": sid}, 400, "DeletePtsScenesFail")
    err("DeletePtsScenes", {"SceneIds": [sid]}, 400, "DeletePtsScenesFail")
    time.sleep(1.1)
    st = ok("GetPtsSceneRunningStatus", {"SceneId": sid})
    check(st.get("Status") == "RUNNING", f"running: {st}")
    data = ok("GetPtsSceneRunningData", {"SceneId": sid, "PlanId": plan})
    check(data.get("Status") == 7 and data.get("HasReport") is False, f"running data {data}")
    check("TotalRequestCount" not in data, "nothing measured, nothing reported")
    err("GetPtsSceneRunningData", {"SceneId": sid, "PlanId": "NOSUCHID"}, 400, "GetPtsSceneRunningDataFail")
    api = ok("GetPtsScene", {"SceneId": sid})["Scene"]["RelationList"][0]["ApiList"][0]["ApiId"]
    ok("AdjustPtsSceneSpeed", {"SceneId": sid, "ApiSpeedList": [{"ApiId": api, "Speed": 2}]})
    ok("StopPtsScene", {"SceneId": sid})
    ok("GetPtsSceneRunningData", {"SceneId": sid, "PlanId": plan})

    reports = ok("ListPtsReports", {"PageNumber": 1, "PageSize": 10})
    check(reports.get("TotalCount") == 1 and reports["Reports"][0]["ReportId"] == plan, f"reports {reports}")
    ok("GetPtsReportsBySceneId", {"SceneId": sid, "PageNumber": 1, "PageSize": 10})
    details = ok("GetPtsReportDetails", {"SceneId": sid, "PlanId": plan})
    check(details.get("SceneSnapShot", {}).get("Status") == "STOPPED", "snapshot status")
    err("GetPtsReportDetails", {"SceneId": sid, "PlanId": "NOSUCHID"}, 400, "GetPtsReportDetailsFail")

    err("GetPtsSceneBaseLine", {"SceneId": sid}, 400, "GetPtsSceneBaseLineFail")
    ok("CreatePtsSceneBaseLineFromReport", {"SceneId": sid, "ReportId": plan})
    err("CreatePtsSceneBaseLineFromReport", {"SceneId": camel_id, "ReportId": plan}, 400,
        "CreatePtsSceneBaseLineFromReportFail")
    ok("UpdatePtsSceneBaseLine", {"SceneId": sid, "SceneBaseline": {"avgRt": 12.5, "successRateReq": 0.99},
                                  "ApiBaselines": [{"id": 1, "name": "home", "maxRt": 40}]})
    err("UpdatePtsSceneBaseLine", {"SceneId": "NOSUCHID"}, 400, "UpdatePtsSceneBaseLineFail")
    b = ok("GetPtsSceneBaseLine", {"SceneId": sid}).get("Baseline", {})
    check(b.get("SceneBaseline", {}).get("AvgRt") == 12.5 and b["ApiBaselines"][0]["MaxRt"] == 40, f"baseline {b}")
    ok("DeletePtsSceneBaseLine", {"SceneId": sid})
    err("DeletePtsSceneBaseLine", {"SceneId": "NOSUCHID"}, 400, "DeletePtsSceneBaseLineFail")

    dplan = ok("StartDebugPtsScene", {"SceneId": sid}).get("PlanId")
    check(ok("GetPtsScene", {"SceneId": sid})["Scene"]["Status"] == "Debugging", "debugging")
    err("StartDebugPtsScene", {"SceneId": sid}, 400, "StartDebugPtsSceneFail")
    err("StopDebugPtsScene", {"SceneId": sid, "PlanId": plan}, 400, "StopDebugPtsSceneFail")
    ok("StopDebugPtsScene", {"SceneId": sid, "PlanId": dplan})
    logs = ok("GetPtsDebugSampleLogs", {"PlanId": dplan, "PageNumber": 1, "PageSize": 10})
    check(logs.get("TotalCount") == 0, f"no samples without an engine: {logs}")
    err("GetPtsDebugSampleLogs", {"PlanId": "NOSUCHID"}, 400, "GetPtsDebugSampleLogsFail")

    err("DeletePtsScene", {"SceneId": "NOSUCHID"}, 400, "DeletePtsSceneFail")
    ok("DeletePtsScene", {"SceneId": camel_id})
    ok("DeletePtsScenes", {"SceneIds": [sid, "NOSUCHID"]})
    check(ok("ListPtsScene", {"PageNumber": 1, "PageSize": 10}).get("SceneViewList") == [], "all deleted")


def jmeter_flow():
    env = {"EnvName": "env-1", "Files": [{"FileName": "ext.jar", "FileOssAddress": "https://b.oss-cn-shanghai.aliyuncs.com/ext.jar"}],
           "Properties": [{"Name": "k", "Value": "v", "Description": "d"}], "JmeterPluginLabel": "LABEL1"}
    env_id = ok("SaveEnv", {"Env": env}).get("EnvId")
    err("SaveEnv", {"Env": {}}, 503, "SaveEnvFail")
    err("SaveEnv", {"Env": {"EnvName": "e", "Files": [{"FileName": "nope.jar", "FileOssAddress": "x/nope.jar"}]}}, 503, "SaveEnvFail")
    ok("ListEnvs", {"PageNumber": 1, "PageSize": 10})
    err("ListEnvs", {"PageNumber": 1, "PageSize": 10, "EnvId": "NOSUCHID"}, 503, "EnvNotExist")

    js = {"SceneName": "jm", "TestFile": "plan.jmx", "Duration": 60, "Mode": "CONCURRENCY", "AgentCount": 1,
          "Concurrency": 10, "EnvironmentId": env_id,
          "FileList": [{"FileName": "plan.jmx", "FileOssAddress": "https://b.oss-cn-shanghai.aliyuncs.com/plan.jmx"},
                       {"FileName": "data.csv", "FileOssAddress": "https://b.oss-cn-shanghai.aliyuncs.com/data.csv",
                        "SplitCsv": True}]}
    sid = ok("SaveOpenJMeterScene", {"OpenJMeterScene": js}).get("SceneId")
    err("SaveOpenJMeterScene", {"OpenJMeterScene": {}}, 403, "SaveOpenJMeterSceneFail")
    err("SaveOpenJMeterScene", {"OpenJMeterScene": dict(js, Duration=59)}, 400, "InvalidParameter")
    ok("GetOpenJMeterScene", {"SceneId": sid})
    err("GetOpenJMeterScene", {"SceneId": "NOSUCHID"}, 403, "SceneNotExist")
    ok("ListOpenJMeterScenes", {"PageNumber": 1, "PageSize": 10})

    report = ok("StartTestingJMeterScene", {"SceneId": sid}).get("ReportId")
    err("StartTestingJMeterScene", {"SceneId": sid}, 403, "SceneNotExist")
    err("RemoveOpenJMeterScene", {"SceneId": sid}, 403, "SceneNotExist")
    err("RemoveEnv", {"EnvId": env_id}, 503, "EnvNotExist")
    err("StopDebuggingJMeterScene", {"SceneId": sid}, 403, "SceneNotExist")
    d = ok("GetJMeterSceneRunningData", {"SceneId": sid}).get("RunningData", {})
    check(d.get("ReportId") == report and d.get("IsDebugging") is False and d.get("HoldFor") == 60, f"running {d}")
    adj = ok("AdjustJMeterSceneSpeed", {"ReportId": report, "Speed": 5})
    check(adj.get("ReportId") == report, "adjust echoes ReportId")
    err("AdjustJMeterSceneSpeed", {"ReportId": report, "Speed": 0}, 400, "InvalidParameter")
    err("AdjustJMeterSceneSpeed", {"ReportId": "NOSUCHID", "Speed": 1}, 403, "SceneNotExist")
    err("GetJMeterReportDetails", {"ReportId": report}, 403, "ReportNotExist")
    ok("StopTestingJMeterScene", {"SceneId": sid})
    err("StopTestingJMeterScene", {"SceneId": sid}, 403, "SceneNotExist")
    ok("GetJMeterSceneRunningData", {"SceneId": sid})
    ok("ListJMeterReports", {"PageNumber": 1, "PageSize": 10})
    ok("GetJMeterReportDetails", {"ReportId": report})
    ok("GetJMeterSampleMetrics", {"ReportId": report})
    s = ok("GetJMeterSamplingLogs", {"ReportId": report, "PageNumber": 1, "PageSize": 10, "Success": True})
    check(s.get("TotalCount") == 0, "no samples")
    ok("GetJMeterLogs", {"ReportId": report, "PageNumber": 1, "PageSize": 10, "AgentIndex": 3})
    err("GetJMeterSampleMetrics", {"ReportId": "NOSUCHID"}, 403, "ReportNotExist")
    err("GetJMeterSamplingLogs", {"ReportId": "NOSUCHID", "PageNumber": 1, "PageSize": 10}, 403, "ReportNotExist")
    err("GetJMeterLogs", {"ReportId": "NOSUCHID", "PageNumber": 1, "PageSize": 10}, 403, "ReportNotExist")
    err("GetJMeterReportDetails", {"ReportId": "NOSUCHID"}, 403, "ReportNotExist")
    err("GetJMeterSceneRunningData", {"SceneId": "NOSUCHID"}, 403, "ReportNotExist")

    ok("StartDebuggingJMeterScene", {"SceneId": sid})
    err("StopTestingJMeterScene", {"SceneId": sid}, 403, "SceneNotExist")
    ok("StopDebuggingJMeterScene", {"SceneId": sid})
    err("StartDebuggingJMeterScene", {"SceneId": "NOSUCHID"}, 403, "SceneNotExist")
    ok("RemoveOpenJMeterScene", {"SceneId": sid})
    err("RemoveOpenJMeterScene", {"SceneId": sid}, 403, "SceneNotExist")
    ok("RemoveEnv", {"EnvId": env_id})
    err("RemoveEnv", {"EnvId": env_id}, 503, "EnvNotExist")


def regions_and_vpcs():
    regions = ok("GetAllRegions", {}).get("AllRegions", {})
    check(len(regions) == 10 and "cn-hangzhou" in regions, f"regions {regions}")
    vpcs = ok("GetUserVpcs", {"RegionId": "cn-hangzhou", "PageNumber": 1, "PageSize": 10})
    vpc = vpcs["Vpcs"][0]["VpcId"]
    ok("GetUserVpcSecurityGroup", {"RegionId": "cn-hangzhou", "VpcId": vpc, "PageNumber": 1, "PageSize": 10})
    ok("GetUserVpcVSwitch", {"RegionId": "cn-hangzhou", "VpcId": vpc, "PageNumber": 1, "PageSize": 10})
    err("GetUserVpcs", {"RegionId": "mars-1", "PageNumber": 1, "PageSize": 10}, 403, "Code")
    err("GetUserVpcSecurityGroup", {"RegionId": "cn-hangzhou", "VpcId": "vpc-x", "PageNumber": 1, "PageSize": 10}, 403, "Code")
    err("GetUserVpcVSwitch", {"RegionId": "cn-hangzhou", "VpcId": "vpc-x", "PageNumber": 1, "PageSize": 10}, 403, "Code")
    err("GetUserVpcs", {"RegionId": "cn-hangzhou", "PageNumber": 1, "PageSize": 101}, 400, "InvalidParameter")


def final_state():
    """Leaves stable state behind and dumps the typed bodies of reads over it; the Rust
    driver repeats each read after this script exits and compares the bodies."""
    sid = ok("SavePtsScene", {"Scene": scene("kept 场景", 10)}).get("SceneId")
    plan = ok("StartPtsScene", {"SceneId": sid}).get("PlanId")
    ok("StopPtsScene", {"SceneId": sid})
    dplan = ok("StartDebugPtsScene", {"SceneId": sid}).get("PlanId")
    ok("StopDebugPtsScene", {"SceneId": sid, "PlanId": dplan})
    ok("UpdatePtsSceneBaseLine", {"SceneId": sid, "SceneBaseline": {"AvgRt": 3.5, "FailCountReq": 2},
                                  "ApiBaselines": [{"Id": 7, "Name": "home", "MinRt": 1, "MaxRt": 9}]})
    env_id = ok("SaveEnv", {"Env": {"EnvName": "kept-env", "Files": [
        {"FileName": "ext.jar", "FileOssAddress": "https://b.oss-cn-shanghai.aliyuncs.com/ext.jar"}]}}).get("EnvId")
    jid = ok("SaveOpenJMeterScene", {"OpenJMeterScene": {
        "SceneName": "kept-jm", "TestFile": "plan.jmx", "Duration": 120, "Mode": "TPS", "AgentCount": 2,
        "MaxRps": 100, "StartRps": 10, "EnvironmentId": env_id, "RegionalCondition": [{"Region": "cn-hangzhou", "Amount": 2}],
        "FileList": [{"FileName": "plan.jmx", "FileOssAddress": "https://b.oss-cn-shanghai.aliyuncs.com/plan.jmx"}]}}).get("SceneId")
    report = ok("StartTestingJMeterScene", {"SceneId": jid}).get("ReportId")
    ok("StopTestingJMeterScene", {"SceneId": jid})
    reads = [
        ("GetPtsScene", {"SceneId": sid}),
        ("ListPtsScene", {"PageNumber": 1, "PageSize": 10}),
        ("ListPtsScene", {"PageNumber": 1, "PageSize": 10, "KeyWord": "kept"}),
        ("GetPtsSceneRunningStatus", {"SceneId": sid}),
        ("GetPtsSceneRunningData", {"SceneId": sid, "PlanId": plan}),
        ("GetPtsSceneRunningData", {"SceneId": sid, "PlanId": dplan}),
        ("ListPtsReports", {"PageNumber": 1, "PageSize": 10}),
        ("GetPtsReportsBySceneId", {"SceneId": sid, "PageNumber": 1, "PageSize": 10}),
        ("GetPtsReportDetails", {"SceneId": sid, "PlanId": plan}),
        ("GetPtsSceneBaseLine", {"SceneId": sid}),
        ("GetPtsDebugSampleLogs", {"PlanId": dplan, "PageNumber": 1, "PageSize": 10}),
        ("ListEnvs", {"PageNumber": 1, "PageSize": 10}),
        ("GetOpenJMeterScene", {"SceneId": jid}),
        ("ListOpenJMeterScenes", {"PageNumber": 1, "PageSize": 10}),
        ("GetJMeterSceneRunningData", {"SceneId": jid}),
        ("ListJMeterReports", {"PageNumber": 1, "PageSize": 10}),
        ("GetJMeterReportDetails", {"ReportId": report}),
        ("GetJMeterSampleMetrics", {"ReportId": report}),
        ("GetJMeterSamplingLogs", {"ReportId": report, "PageNumber": 1, "PageSize": 10, "Success": False}),
        ("GetJMeterLogs", {"ReportId": report, "PageNumber": 1, "PageSize": 10}),
        ("GetAllRegions", {}),
        ("GetUserVpcs", {"RegionId": "cn-hangzhou", "PageNumber": 1, "PageSize": 10}),
    ]
    for op, params in reads:
        ok(op, params, dump=True)
    vpc = DUMPED[-1]["body"]["Vpcs"][0]["VpcId"]
    ok("GetUserVpcSecurityGroup", {"RegionId": "cn-hangzhou", "VpcId": vpc, "PageNumber": 1, "PageSize": 10}, dump=True)
    ok("GetUserVpcVSwitch", {"RegionId": "cn-hangzhou", "VpcId": vpc, "PageNumber": 1, "PageSize": 10}, dump=True)


for flow in (pts_flow, jmeter_flow, regions_and_vpcs, final_state):
    try:
        flow()
    except Exception:  # noqa: BLE001
        FAILED.append(f"{flow.__name__} aborted:\n{traceback.format_exc()}")
        print(FAILED[-1], file=sys.stderr)

check(len(COVERED) == 44, f"covered {len(COVERED)} operations: {sorted(COVERED)}")
with open(DUMP, "w", encoding="utf-8") as f:
    json.dump(DUMPED, f, ensure_ascii=False)
print(f"{SIG}: {len(COVERED)} operations, {len(DUMPED)} typed bodies dumped")
print(f"{PASSED} passed, {len(FAILED)} failed")
sys.exit(1 if FAILED else 0)
