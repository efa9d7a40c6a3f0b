"""The legacy Python core SDK (aliyun-python-sdk-core, CommonRequest, RPC signature v1)
against a running pts-local: GET and POST, with the operation's parameters in the query, a
form body or split between them. Each shape saves a scene, gets it, lists it and is refused
with a wrong secret.

Environment: PTS_ENDPOINT (127.0.0.1:PORT, loopback only), PTS_AK, PTS_SK.
Prints one line per shape; exits 1 on any mismatch.
"""
import json
import os
import sys

from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest

ENDPOINT = os.environ["PTS_ENDPOINT"]
AK, SK = os.environ["PTS_AK"], os.environ["PTS_SK"]
HOST, PORT = ENDPOINT.rsplit(":", 1)
assert HOST == "127.0.0.1", "loopback only"
FAILURES = []


def client(secret):
    return AcsClient(AK, secret, "cn-hangzhou", auto_retry=False, port=int(PORT),
                     connect_timeout=5, timeout=20)


def scene(name):
    return json.dumps({
        "SceneName": name,
        "RelationList": [{"RelationName": "chain", "ApiList": [
            {"ApiName": "home", "Url": "http://127.0.0.1:9/", "Method": "GET", "RedirectCountLimit": 0}]}],
        "LoadConfig": {"TestMode": "concurrency_mode", "MaxRunningTime": 1,
                       "Configuration": {"AllConcurrencyBegin": 1, "AllConcurrencyLimit": 1}},
    }, ensure_ascii=False)


def caller(acs, method, placement):
    def call(action, params):
        req = CommonRequest(domain=HOST, version="2020-10-20", action_name=action)
        req.set_protocol_type("http")
        req.set_method(method)
        for i, (k, v) in enumerate(sorted(params.items())):
            if placement == "query" or (placement == "split" and i % 2 == 0):
                req.add_query_param(k, v)
            else:
                req.add_body_params(k, v)
        call.last = req
        return json.loads(acs.do_action_with_exception(req))
    return call


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL " + what)


def shape(index, label, call, wrong):
    name = "s%d 场景 a+b&c=d" % index  # scene names are at most 30 characters
    try:
        sid = call("SavePtsScene", {"Scene": scene(name)}).get("SceneId")
        check(bool(sid), label + ": SavePtsScene returned no SceneId")
        got = call("GetPtsScene", {"SceneId": sid})
        check(got.get("Scene", {}).get("SceneName") == name, "%s: GetPtsScene %s" % (label, got))
        listed = call("ListPtsScene", {"PageNumber": "1", "PageSize": "100", "KeyWord": "场景"})
        ids = [s.get("SceneId") for s in listed.get("SceneViewList", [])]
        check(sid in ids, "%s: ListPtsScene lacks %s" % (label, sid))
    except ServerException as e:
        check(False, "%s: %s %s" % (label, e.get_error_code(), e.get_error_msg()))
        return
    try:
        wrong("ListPtsScene", {"PageNumber": "1", "PageSize": "10"})
        check(False, label + ": a wrong secret was accepted")
    except ServerException as e:
        got = (e.get_http_status(), e.get_error_code())
        check(got == (400, "SignatureDoesNotMatch"), "%s: wrong secret answered %s" % (label, got))
        # The server quotes its string to sign; it must be the one the SDK signed (the
        # CommonRequest keeps it on its inner RPC request).
        server = e.get_error_msg().split("server string to sign is:", 1)[-1]
        check(server == wrong.last.request.string_to_sign,
              "%s: server string to sign %r differs from the SDK's" % (label, server))
    print("ran %s: save, get, list, wrong secret" % label)


def main():
    good, bad = client(SK), client("wrong-secret")
    labels = []
    for method in ("GET", "POST"):
        for placement in ("query", "body", "split"):
            label = "python-core v1 %s %s" % (method, placement)
            labels.append(label)
            shape(len(labels), label, caller(good, method, placement), caller(bad, method, placement))
    if FAILURES:
        print("%d failure(s)" % len(FAILURES))
        sys.exit(1)


main()
