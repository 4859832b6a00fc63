#!/usr/bin/env python3
"""The emulator's contract and behaviour, end to end: cloudreboot-emulator started as a process,
requests signed by `cloudreboot sign` (or, for requests the library refuses to build, by the
test-only signers in harness.py), sent over HTTP and HTTPS exactly as `curl --connect-to` sends
them, answers compared with the documented examples in tests/data/<provider>/responses and read
back by `cloudreboot parse`, faults checked against GET /_emulator/state and the --log file.

usage: check_emulator.py --emulator BIN --cli BIN --data tests/data [--only NAME] [--sdk-sample N]
Ends with "N passed, M failed"."""

import argparse
import concurrent.futures
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (Closed, Cli, Emulator, alibaba_rpc, baidu_bce, huawei_sdk, now_text, routable_host,  # noqa: E402
                     sample_per_scheme, sdk_cases, send, tencent_v1, url_host)

ARGS = None
CLI = None
TESTS = []

def test(function):
    TESTS.append(function)
    return function


def emulator(*options, https=False):
    return Emulator(ARGS.emulator, *options, https=https)


def keys(provider):
    return f"emulator-{provider}-ak", f"emulator-{provider}-sk"


def case(provider, action, params, region, **extra):
    ak, sk = keys(provider)
    out = {"provider": provider, "action": action, "region": region, "time": now_text(),
           "credentials": {"access_key_id": ak, "access_key_secret": sk}, "params": params}
    if provider in ("alibaba", "tencent"):
        out["nonce"] = extra.pop("nonce", os.urandom(8).hex() if provider == "alibaba" else str(int.from_bytes(os.urandom(3), "big")))
    out.update(extra)
    return out


def wait_until(predicate, what, limit=20.0):
    deadline = time.monotonic() + limit
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {limit} s for {what}")
        time.sleep(0.05)


def states_of(entry):
    return [h["state"] for h in entry["history"]]


def find(emu, instance_id):
    for entry in emu.instances():
        if entry["id"] == instance_id:
            return entry
    raise AssertionError(f"{instance_id} is not in the state")


def shape(value):
    """The structure of a JSON value: keys and kinds, list items merged."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        merged = {}
        for item in value:
            s = shape(item)
            merged = {**merged, **s} if isinstance(s, dict) else s
        return [merged] if value else []
    if value is None:
        return None
    return "number" if isinstance(value, (int, float)) and not isinstance(value, bool) else type(value).__name__


def assert_same_shape(answer, documented, where, ignore_extra=()):
    """Every member the documented example has is in the answer with the same kind (a JSON number
    Code in one Alibaba sample is text in the other; nulls match anything)."""
    def walk(a, d, path):
        if d is None or a is None:
            return
        if isinstance(d, dict):
            assert isinstance(a, dict), f"{where}: {path} should be an object"
            for key in d:
                assert key in a, f"{where}: {path}.{key} is missing (documented)"
                walk(a[key], d[key], f"{path}.{key}")
            for key in a:
                assert key in d or key in ignore_extra, f"{where}: {path}.{key} is not in the documented example"
        elif isinstance(d, list):
            assert isinstance(a, list), f"{where}: {path} should be an array"
            if d and a:
                walk(a[0], d[0], f"{path}[0]")
        else:
            assert type(a) is type(d) or {type(a), type(d)} <= {int, str}, f"{where}: {path} kind differs"
    walk(answer, documented, "$")


def xml_shape(text):
    """Element names and nesting of an XML answer, as a sorted tuple tree (order-insensitive)."""
    import xml.etree.ElementTree as ET
    def walk(element):
        return (element.tag, tuple(sorted({walk(child) for child in element})))
    return walk(ET.fromstring(text))


def documented(provider, name):
    path = os.path.join(ARGS.data, provider, "responses", name)
    with open(path) as f:
        text = f.read()
    if name.endswith(".xml"):
        return text
    doc = json.loads(text)
    if isinstance(doc, dict) and "response" in doc and "action" in doc:  # Baidu's wrapped form
        return doc["response"]
    return doc


def parse_ok(provider, action, response):
    status, outcome, err = CLI.parse(provider, action, response)
    assert status == 0, f"cloudreboot parse --provider {provider} --action {action} exited {status}: {err}"
    return outcome


def parse_refused(provider, action, response, code=None):
    """`cloudreboot parse` reads the answer as a failure (exit 1, or exit 0 with "ok": false and the
    provider's code; a body it cannot read at all, such as a gateway's HTML page, may exit 2)."""
    status, outcome, err = CLI.parse(provider, action, response)
    if status == 0:
        assert outcome.get("ok") is False, outcome
        if code is not None:
            assert outcome["error"]["code"] == code, outcome
    else:
        assert status in (1, 2), (status, err)


# ---------------------------------------------------------------------------------------------
# The command line, the first line, the port file, the state.

@test
def startup_line_port_file_and_state():
    with emulator("--instances", "3", "--seed", "7", "--start-time", "2026-11-22T09:10:11Z") as emu:
        assert re.fullmatch(r"listening on 127\.0\.0\.1:\d+", emu.first_line), emu.first_line
        with open(emu.port_file) as f:
            assert f.read() == emu.first_line + "\n"
        state = emu.state()
        assert state["now"].startswith("2026-11-22T09:1"), state["now"]
        by_provider = {}
        for entry in state["instances"]:
            by_provider.setdefault(entry["provider"], []).append(entry)
            assert set(entry) == {"provider", "region", "project_id", "id", "state", "reboots_applied", "history"}
            assert entry["reboots_applied"] == 0 and len(entry["history"]) == 1
        assert {p: len(v) for p, v in by_provider.items()} == {"alibaba": 3, "tencent": 3, "huawei": 3, "baidu": 3}
        patterns = {"alibaba": r"i-[a-z0-9]{20}", "tencent": r"ins-[a-z0-9]{8}",
                    "huawei": r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                    "baidu": r"i-[A-Za-z0-9]{8}"}
        regions = {"alibaba": "cn-hangzhou", "tencent": "ap-guangzhou", "huawei": "cn-north-4", "baidu": "bj"}
        running = {"alibaba": "Running", "tencent": "RUNNING", "huawei": "ACTIVE", "baidu": "Running"}
        for provider, entries in by_provider.items():
            for entry in entries:
                assert re.fullmatch(patterns[provider], entry["id"]), entry["id"]
                assert entry["region"] == regions[provider] and entry["state"] == running[provider]
                assert (entry["project_id"] is not None) == (provider == "huawei")
        assert len({e["project_id"] for e in by_provider["huawei"]}) == 1
        assert re.fullmatch(r"[0-9a-f]{32}", by_provider["huawei"][0]["project_id"])
        ids = [e["id"] for e in state["instances"]]
    assert emu.proc.returncode == 0, emu.stderr
    with emulator("--instances", "3", "--seed", "7") as again:
        assert [e["id"] for e in again.instances()] == ids, "the same seed must give the same ids"
    with emulator("--instances", "3", "--seed", "8") as other:
        assert [e["id"] for e in other.instances()] != ids, "another seed must give other ids"
    done = subprocess.run([ARGS.emulator, "--print-verifier"], capture_output=True, text=True, timeout=30)
    assert (done.returncode, done.stdout) == (0, "library\n"), (done.returncode, done.stdout)


@test
def https_line_ca_and_plain_http_on_the_same_port():
    with emulator("--instances", "1", https=True) as emu:
        assert re.fullmatch(r"listening on 127\.0\.0\.1:\d+ https", emu.first_line), emu.first_line
        with open(emu.ca) as f:
            assert f.read().startswith("-----BEGIN CERTIFICATE-----")
        hosts = ["ecs.cn-hangzhou.aliyuncs.com", "ecs.aliyuncs.com", "ecs-vpc.cn-hangzhou.aliyuncs.com",
                 "cvm.tencentcloudapi.com", "cvm.ap-guangzhou.tencentcloudapi.com", "cvm.api.qcloud.com",
                 "ecs.cn-north-4.myhuaweicloud.com", "bcc.bj.baidubce.com", "bcc.gz.baidubce.com"]
        for host in hosts:  # the certificate covers every host (the handshake checks the name)
            conn = emu.connect(tls=True, server_name=host)
            answer = conn.request("GET", "/_emulator/state", [("Host", host)])
            assert answer.status == 200
            conn.close()
        answer = emu.control("GET", "/_emulator/state")  # plain HTTP, same port
        assert answer.status == 200 and answer.header("Date")


@test
def bad_command_lines_name_the_option():
    for args, word in ((["--instances", "x"], "--instances"), (["--faults", "nope=1"], "--faults nope"),
                       (["--faults", "throttle=2"], "--faults throttle"), (["--https"], "--https"),
                       (["--listen", "10.0.0.1:0"], "--listen"), (["--fleet", "a", "--instances", "1"], "--fleet"),
                       (["--time-scale", "0"], "--time-scale"), (["--start-time", "yesterday"], "--start-time")):
        done = subprocess.run([ARGS.emulator, *args], capture_output=True, text=True, timeout=30)
        assert done.returncode == 2, (args, done.returncode)
        assert word in done.stderr, (args, done.stderr)


@test
def fleet_and_keys_files():
    work = tempfile.mkdtemp()
    fleet = {"instances": [
        {"provider": "alibaba", "region": "cn-shanghai", "id": "i-uf6stopped000000001", "state": "Stopped"},
        {"provider": "alibaba", "region": "cn-shanghai", "id": "i-uf6running000000002"},
        {"provider": "huawei", "region": "ap-southeast-1", "project_id": "0123456789abcdef0123456789abcdef",
         "id": "616fb98f-46ca-475e-917e-2563e5a8cd19"}]}
    with open(os.path.join(work, "fleet.json"), "w") as f:
        json.dump(fleet, f)
    with open(os.path.join(work, "keys.json"), "w") as f:
        json.dump({"alibaba": [{"access_key_id": "MYAK", "access_key_secret": "MYSK"}]}, f)
    with emulator("--fleet", os.path.join(work, "fleet.json"), "--keys", os.path.join(work, "keys.json")) as emu:
        entries = emu.instances()
        assert [(e["id"], e["state"], e["region"]) for e in entries] == [
            ("i-uf6stopped000000001", "Stopped", "cn-shanghai"), ("i-uf6running000000002", "Running", "cn-shanghai"),
            ("616fb98f-46ca-475e-917e-2563e5a8cd19", "ACTIVE", "ap-southeast-1")]
        host = "ecs.cn-shanghai.aliyuncs.com"
        params = {"Action": "RebootInstances", "RegionId": "cn-shanghai", "InstanceId.1": "i-uf6stopped000000001"}
        answer = send(emu, alibaba_rpc(host, params, "MYAK", "MYSK"))
        assert answer.status == 403 and answer.json()["Code"] == "IncorrectInstanceStatus", answer.body
        answer = send(emu, alibaba_rpc(host, params, *keys("alibaba")))  # the default key is gone with --keys
        assert answer.status == 400 and answer.json()["Code"] == "InvalidAccessKeyId.NotFound", answer.body
    bad = {"instances": [{"provider": "huawei", "region": "cn-north-4", "id": "616fb98f-46ca-475e-917e-2563e5a8cd19"}]}
    with open(os.path.join(work, "bad.json"), "w") as f:
        json.dump(bad, f)
    done = subprocess.run([ARGS.emulator, "--fleet", os.path.join(work, "bad.json")], capture_output=True, text=True)
    assert done.returncode == 2 and "instances[0].project_id" in done.stderr, done.stderr


# ---------------------------------------------------------------------------------------------
# Alibaba.

def alibaba_flows(tls):
    with emulator("--instances", "3", "--time-scale", "1000", https=tls) as emu:
        ids = [e["id"] for e in emu.instances("alibaba")]
        # ACS3 (the CLI's default), SuccessFirst: per-instance results.
        signed = CLI.sign(case("alibaba", "RebootInstances", {"InstanceId": [ids[0]], "BatchOptimization": "SuccessFirst"},
                               "cn-hangzhou"))
        answer = send(emu, signed, tls=tls)
        assert answer.status == 200, answer.body
        body = answer.json()
        assert_same_shape(body, documented("alibaba", "reboot_instances_success.json"), "RebootInstances")
        item = body["InstanceResponses"]["InstanceResponse"][0]
        assert (item["Code"], item["InstanceId"], item["PreviousStatus"], item["CurrentStatus"]) == (
            "200", ids[0], "Running", "Stopping")
        assert answer.header("x-acs-request-id") == body["RequestId"]
        assert re.fullmatch(r"[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}", body["RequestId"])
        assert answer.header("Date").endswith(" GMT")
        outcome = parse_ok("alibaba", "RebootInstances", answer)
        assert json.dumps(outcome).find(ids[0]) >= 0
        entry = wait_until(lambda: (lambda e: e if e["state"] == "Running" and len(e["history"]) == 4 else None)(
            find(emu, ids[0])), "the reboot to finish")
        assert states_of(entry) == ["Running", "Stopping", "Starting", "Running"] and entry["reboots_applied"] == 1

        # RPC v1 through the CLI: RebootInstance, ForceStop (straight to Starting).
        signed = CLI.sign(case("alibaba", "RebootInstance", {"InstanceId": ids[1], "ForceStop": True}, "cn-hangzhou",
                               signature="rpc-hmac-sha1", method="POST"))
        answer = send(emu, signed, tls=tls)
        assert answer.status == 200, answer.body
        assert_same_shape(answer.json(), documented("alibaba", "reboot_instance_success.json"), "RebootInstance")
        parse_ok("alibaba", "RebootInstance", answer)
        entry = wait_until(lambda: (lambda e: e if len(e["history"]) == 3 else None)(find(emu, ids[1])), "the reboot")
        assert states_of(entry) == ["Running", "Starting", "Running"]

        # No Format: XML, the RPC default. DescribeInstanceStatus and an error, both documented in XML.
        ak, sk = keys("alibaba")
        host = "ecs.cn-hangzhou.aliyuncs.com"
        answer = send(emu, alibaba_rpc(host, {"Action": "DescribeInstanceStatus", "RegionId": "cn-hangzhou",
                                              "PageSize": "1"}, ak, sk, fmt=None), tls=tls)
        assert answer.status == 200 and answer.header("Content-Type").startswith("text/xml"), answer.body
        assert xml_shape(answer.body) == xml_shape(documented("alibaba", "describe_instance_status.xml"))
        outcome = parse_ok("alibaba", "DescribeInstanceStatus", answer)
        answer = send(emu, alibaba_rpc(host, {"Action": "RebootInstances", "RegionId": "cn-hangzhou",
                                              "InstanceId.1": "i-bp0000000000000nothere"}, ak, sk, fmt=None), tls=tls)
        assert answer.status == 404, answer.body
        assert xml_shape(answer.body) == xml_shape(documented("alibaba", "error.xml"))
        parse_refused("alibaba", "RebootInstances", answer, "InvalidInstanceId.NotFound")

        # JSON paging and the InstanceId filter.
        answer = send(emu, alibaba_rpc(host, {"Action": "DescribeInstanceStatus", "RegionId": "cn-hangzhou",
                                              "PageSize": "2", "PageNumber": "2"}, ak, sk), tls=tls)
        body = answer.json()
        assert_same_shape(body, documented("alibaba", "describe_instance_status.json"), "DescribeInstanceStatus")
        assert (body["TotalCount"], body["PageNumber"], body["PageSize"]) == (3, 2, 2)
        assert [i["InstanceId"] for i in body["InstanceStatuses"]["InstanceStatus"]] == [ids[2]]
        parse_ok("alibaba", "DescribeInstanceStatus", answer)
        answer = send(emu, alibaba_rpc(host, {"Action": "DescribeInstanceStatus", "RegionId": "cn-hangzhou",
                                              "InstanceId.1": ids[1]}, ak, sk), tls=tls)
        assert [i["InstanceId"] for i in answer.json()["InstanceStatuses"]["InstanceStatus"]] == [ids[1]]


@test
def alibaba_over_http():
    alibaba_flows(False)


@test
def alibaba_over_https():
    alibaba_flows(True)


@test
def alibaba_refusals_dry_runs_and_batch_modes():
    with emulator("--instances", "3", "--time-scale", "0.001") as emu:  # reboots last hours: states hold still
        ids = [e["id"] for e in emu.instances("alibaba")]
        ak, sk = keys("alibaba")
        host = "ecs.cn-hangzhou.aliyuncs.com"
        documented_error = documented("alibaba", "error.json")

        def call(params, expect_status, expect_code, **kw):
            answer = send(emu, alibaba_rpc(host, params, ak, sk, **kw))
            assert answer.status == expect_status, (params, answer.status, answer.body)
            body = answer.json()
            if expect_code is not None:
                assert body["Code"] == expect_code, (params, body)
                assert_same_shape(body, documented_error, expect_code)
                assert body["HostId"] == host
            return body

        reboot = {"Action": "RebootInstances", "RegionId": "cn-hangzhou"}
        listed = lambda *xs: {f"InstanceId.{n + 1}": x for n, x in enumerate(xs)}  # noqa: E731
        call({**reboot, **listed(ids[0], "i-bp0000000000000nothere")}, 404, "InvalidInstanceId.NotFound")
        call({**reboot, **listed(ids[0]), "DryRun": "true"}, 400, "DRYRUN.SUCCESS")
        call({**reboot, **listed("i-bp0000000000000nothere"), "DryRun": "true", "BatchOptimization": "SuccessFirst"},
             400, "DRYRUN.SUCCESS")
        call({**reboot, **listed(*[f"i-bp{n:018d}" for n in range(101)])}, 403, "InvalidParameter.TooManyInstanceIds")
        call({**reboot, **listed("bad id!")}, 403, "Abs.InvalidInstanceIds.MalFormed")
        call({**reboot, **listed(ids[0], ids[0])}, 403, "Abs.InvalidInstanceIds.MalFormed")
        call(reboot, 403, "InvalidInstanceId.NotFound")
        call({"Action": "RebootInstance", "InstanceId": ids[0], "DryRun": "true"}, 400, "DryRunOperation")
        call({"Action": "RebootInstances", **listed(ids[0])}, 400, "MissingParameter")
        call({"Action": "StopInstances", "RegionId": "cn-hangzhou"}, 403, "InvalidAction")
        assert all(e["reboots_applied"] == 0 for e in emu.instances("alibaba")), "dry runs and refusals apply nothing"

        body = call({**reboot, **listed(ids[0], "i-bp0000000000000nothere", ids[1]), "BatchOptimization": "SuccessFirst"},
                    200, None)
        codes = [(i["InstanceId"], i["Code"]) for i in body["InstanceResponses"]["InstanceResponse"]]
        assert codes == [(ids[0], "200"), ("i-bp0000000000000nothere", "InvalidInstanceId.NotFound"), (ids[1], "200")]
        call({**reboot, **listed(ids[0])}, 403, "IncorrectInstanceStatus")  # still Stopping
        body = call({**reboot, **listed(ids[0], ids[2]), "BatchOptimization": "SuccessFirst"}, 200, None)
        assert [i["Code"] for i in body["InstanceResponses"]["InstanceResponse"]] == ["IncorrectInstanceStatus", "200"]
        assert [e["reboots_applied"] for e in emu.instances("alibaba")] == [1, 1, 1]


@test
def alibaba_authentication():
    with emulator("--instances", "1") as emu:
        instance_id = emu.instances("alibaba")[0]["id"]
        host = "ecs.cn-hangzhou.aliyuncs.com"
        params = {"Action": "DescribeInstanceStatus", "RegionId": "cn-hangzhou", "InstanceId.1": instance_id}
        ak, sk = keys("alibaba")
        expectations = [
            (alibaba_rpc(host, params, "NOSUCHKEY", sk), 400, "InvalidAccessKeyId.NotFound"),
            (alibaba_rpc(host, params, ak, sk, when=now_text(-16 * 60)), 400, "InvalidTimeStamp.Expired"),
            (alibaba_rpc(host, params, ak, sk, when=now_text(16 * 60)), 400, "InvalidTimeStamp.Expired"),
            (alibaba_rpc(host, params, ak, sk, when=now_text(-14 * 60)), 200, None),
        ]
        for request, status, code in expectations:
            answer = send(emu, request)
            assert answer.status == status and (code is None or answer.json()["Code"] == code), answer.body
        replayed = alibaba_rpc(host, params, ak, sk, nonce="the-same-nonce")
        assert send(emu, replayed).status == 200
        answer = send(emu, replayed)
        assert answer.status == 400 and answer.json()["Code"] == "SignatureNonceUsed", answer.body
        verdicts = [(line["verdict"], line["code"]) for line in emu.log()]
        assert verdicts == [("rejected", "InvalidAccessKeyId.NotFound"), ("rejected", "InvalidTimeStamp.Expired"),
                            ("rejected", "InvalidTimeStamp.Expired"), ("accepted", None), ("accepted", None),
                            ("rejected", "SignatureNonceUsed")], verdicts


@test
def alibaba_bad_signature_is_refused_with_the_server_string_to_sign():
    with emulator("--instances", "1") as emu:
        ak, sk = keys("alibaba")
        answer = send(emu, alibaba_rpc("ecs.cn-hangzhou.aliyuncs.com", {"Action": "DescribeInstanceStatus",
                                                                          "RegionId": "cn-hangzhou"}, ak, sk + "x"))
        body = answer.json()
        assert answer.status == 400 and body["Code"] == "SignatureDoesNotMatch", answer.body
        assert "server string to sign is:" in body["Message"]


# ---------------------------------------------------------------------------------------------
# Tencent.

def tencent_flows(tls):
    with emulator("--instances", "2", "--time-scale", "1000", https=tls) as emu:
        ids = [e["id"] for e in emu.instances("tencent")]
        signed = CLI.sign(case("tencent", "RebootInstances", {"InstanceIds": [ids[0]], "StopType": "SOFT"}, "ap-guangzhou"))
        answer = send(emu, signed, tls=tls)
        assert answer.status == 200, answer.body
        assert_same_shape(answer.json(), {"Response": {"RequestId": "x"}}, "RebootInstances")
        reboot_id = answer.json()["Response"]["RequestId"]
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", reboot_id)
        parse_ok("tencent", "RebootInstances", answer)

        describe = CLI.sign(case("tencent", "DescribeInstances", {"InstanceIds": [ids[0]]}, "ap-guangzhou"))
        answer = send(emu, describe, tls=tls)
        assert_same_shape(answer.json(), documented("tencent", "describe-instances.json"), "DescribeInstances",
                          ignore_extra=("InstanceName", "Placement", "RestrictState"))
        parse_ok("tencent", "DescribeInstances", answer)
        info = answer.json()["Response"]["InstanceSet"][0]
        assert (info["LatestOperation"], info["LatestOperationRequestId"]) == ("RebootInstances", reboot_id)
        assert info["LatestOperationState"] in ("OPERATING", "SUCCESS")

        def finished():
            fresh = CLI.sign(case("tencent", "DescribeInstances", {"InstanceIds": [ids[0]]}, "ap-guangzhou"))
            item = send(emu, fresh, tls=tls).json()["Response"]["InstanceSet"][0]
            return item if item["LatestOperationState"] == "SUCCESS" else None
        info = wait_until(finished, "LatestOperationState SUCCESS")
        assert info["InstanceState"] == "RUNNING"
        assert states_of(find(emu, ids[0])) == ["RUNNING", "REBOOTING", "RUNNING"]

        status = CLI.sign(case("tencent", "DescribeInstancesStatus", {}, "ap-guangzhou"))
        answer = send(emu, status, tls=tls)
        assert_same_shape(answer.json(), documented("tencent", "describe-instances-status.json"), "DescribeInstancesStatus")
        assert answer.json()["Response"]["TotalCount"] == 2
        parse_ok("tencent", "DescribeInstancesStatus", answer)

        # The v1 schemes through the CLI, and the legacy gateway.
        for extra in ({"signature": "tc3-hmac-sha256", "method": "GET"}, {"signature": "hmac-sha1", "method": "GET"},
                      {"signature": "hmac-sha256", "method": "POST"},
                      {"signature": "hmac-sha1", "method": "GET", "endpoint": "cvm.api.qcloud.com"}):
            wait_until(lambda: find(emu, ids[1])["state"] == "RUNNING", "RUNNING")
            signed = CLI.sign(case("tencent", "RebootInstances", {"InstanceIds": [ids[1]]}, "ap-guangzhou", **extra))
            answer = send(emu, signed, tls=tls)
            assert answer.status == 200 and "Error" not in answer.json()["Response"], (extra, answer.body)
        wait_until(lambda: find(emu, ids[1])["reboots_applied"] == 4, "four reboots")


@test
def tencent_over_http():
    tencent_flows(False)


@test
def tencent_over_https():
    tencent_flows(True)


@test
def tencent_refusals_and_authentication():
    with emulator("--instances", "2", "--time-scale", "0.001") as emu:
        ids = [e["id"] for e in emu.instances("tencent")]
        ak, sk = keys("tencent")
        host = "cvm.tencentcloudapi.com"
        documented_error = documented("tencent", "error-signature-failure.json")

        def call(params, code, **kw):
            answer = send(emu, tencent_v1(host, params, kw.pop("ak", ak), sk, **kw))
            assert answer.status == 200, answer.body
            body = answer.json()
            got = body["Response"].get("Error", {}).get("Code")
            assert got == code, (params, body)
            if code is not None:
                assert_same_shape(body, documented_error, code)
            return body

        call({"InstanceIds.0": ids[0], "ForceReboot": "true", "StopType": "SOFT"}, "InvalidParameterCombination")
        call({"InstanceIds.0": "ins-1122"}, "InvalidInstanceId.Malformed")
        call({f"InstanceIds.{n}": f"ins-{n:08d}" for n in range(101)}, "InvalidParameterValue.LimitExceeded")
        call({"InstanceIds.0": ids[0], "InstanceIds.1": "ins-zzzzzzzz"}, "InvalidInstanceId.NotFound")
        call({"InstanceIds.0": ids[0], "StopType": "GENTLE"}, "InvalidParameterValue")
        call({}, "MissingParameter")
        call({"InstanceIds.0": ids[0]}, "AuthFailure.SecretIdNotFound", ak="AKIDnosuchkey")
        call({"InstanceIds.0": ids[0]}, "AuthFailure.SignatureExpire", when=time.time() - 6 * 60)
        call({"InstanceIds.0": ids[0]}, "AuthFailure.SignatureExpire", when=time.time() + 6 * 60)
        assert all(e["reboots_applied"] == 0 for e in emu.instances("tencent"))
        call({"InstanceIds.0": ids[0], "StopType": "HARD"}, None)
        call({"InstanceIds.0": ids[0], "InstanceIds.1": ids[1]}, "UnsupportedOperation.InstanceStateRebooting")
        assert [e["reboots_applied"] for e in emu.instances("tencent")] == [1, 0], "all or nothing"
        assert parse_ok("tencent", "RebootInstances",
                        send(emu, tencent_v1(host, {"InstanceIds.0": ids[1]}, ak, sk))) is not None


# ---------------------------------------------------------------------------------------------
# Huawei.

def huawei_flows(tls):
    with emulator("--instances", "2", "--time-scale", "1000", https=tls) as emu:
        entries = emu.instances("huawei")
        project, ids = entries[0]["project_id"], [e["id"] for e in entries]
        base = {"project_id": project}
        signed = CLI.sign(case("huawei", "BatchRebootServers", {"type": "SOFT", "servers": ids}, "cn-north-4", **base))
        answer = send(emu, signed, tls=tls)
        assert answer.status == 200, answer.body
        assert_same_shape(answer.json(), {"job_id": "x"}, "batch reboot")
        job_id = answer.json()["job_id"]
        assert re.fullmatch(r"[0-9a-f]{32}", job_id) and re.fullmatch(r"[0-9a-f]{32}", answer.header("X-Request-Id"))
        parse_ok("huawei", "BatchRebootServers", answer)

        def job():
            fresh = CLI.sign(case("huawei", "ShowJob", {"job_id": job_id}, "cn-north-4", **base))
            return send(emu, fresh, tls=tls)
        first = job()
        assert first.json()["status"] in ("INIT", "RUNNING", "SUCCESS")
        parse_ok("huawei", "ShowJob", first)
        done = wait_until(lambda: (lambda a: a if a.json()["status"] == "SUCCESS" else None)(job()), "job SUCCESS")
        assert_same_shape(done.json(), documented("huawei", "job_success.json"), "ShowJob")
        subs = done.json()["entities"]["sub_jobs"]
        assert sorted(s["entities"]["server_id"] for s in subs) == sorted(ids)
        assert all(s["status"] == "SUCCESS" for s in subs)
        parse_ok("huawei", "ShowJob", done)
        for server in ids:
            assert states_of(find(emu, server)) == ["ACTIVE", "REBOOT", "ACTIVE"]
        shown = send(emu, CLI.sign(case("huawei", "ShowServer", {"server_id": ids[0]}, "cn-north-4", **base)), tls=tls)
        assert_same_shape(shown.json(), documented("huawei", "server_detail.json"), "ShowServer",
                          ignore_extra=("OS-EXT-AZ:availability_zone",))
        assert shown.json()["server"]["status"] == "ACTIVE"
        parse_ok("huawei", "ShowServer", shown)
        signed = CLI.sign(case("huawei", "BatchRebootServers", {"type": "HARD", "servers": [ids[1]]}, "cn-north-4", **base))
        assert send(emu, signed, tls=tls).status == 200
        wait_until(lambda: states_of(find(emu, ids[1])) == ["ACTIVE", "REBOOT", "ACTIVE", "HARD_REBOOT", "ACTIVE"],
                   "a hard reboot")


@test
def huawei_over_http():
    huawei_flows(False)


@test
def huawei_over_https():
    huawei_flows(True)


@test
def huawei_refusals_and_authentication():
    with emulator("--instances", "1", "--time-scale", "1000") as emu:
        entry = emu.instances("huawei")[0]
        project, server = entry["project_id"], entry["id"]
        host = "ecs.cn-north-4.myhuaweicloud.com"
        ak, sk = keys("huawei")
        path = f"/v1/{project}/cloudservers/action"
        unknown = "726fb98f-46ca-475e-917e-2563e5a8cd20"
        body = json.dumps({"reboot": {"type": "SOFT", "servers": [{"id": server}, {"id": unknown}]}})
        answer = send(emu, huawei_sdk(host, "POST", path, body, ak, sk, project))
        job_id = answer.json()["job_id"]
        job = wait_until(lambda: (lambda j: j if j["status"] in ("SUCCESS", "FAIL") else None)(
            send(emu, huawei_sdk(host, "GET", f"/v1/{project}/jobs/{job_id}", "", ak, sk, project)).json()), "job end")
        assert job["status"] == "FAIL" and job["error_code"] == "Ecs.0000", job
        assert_same_shape(job, json.loads(open(os.path.join(ARGS.data, "huawei", "responses", "job_fail.json")).read()),
                          "ShowJob FAIL")
        outcome = {s["entities"]["server_id"]: (s["status"], s["error_code"]) for s in job["entities"]["sub_jobs"]}
        assert outcome == {server: ("SUCCESS", None), unknown: ("FAIL", "Ecs.0000")}, outcome
        assert find(emu, server)["reboots_applied"] == 1

        documented_ecs = documented("huawei", "error_ecs.json")
        documented_gateway = documented("huawei", "error_gateway.json")
        answer = send(emu, huawei_sdk(host, "POST", path, '{"reboot":{"type":"GENTLE","servers":[]}}', ak, sk, project))
        assert answer.status == 400 and answer.json()["error"]["code"] == "Ecs.0005", answer.body
        assert_same_shape(answer.json(), documented_ecs, "Ecs.0005")
        for request in (huawei_sdk(host, "POST", path, body, "NOSUCHAK", sk, project),
                        huawei_sdk(host, "POST", path, body, ak, sk, project, when=time.time() - 16 * 60)):
            answer = send(emu, request)
            assert answer.status == 401 and answer.json()["error_code"] == "APIGW.0301", answer.body
            assert_same_shape(answer.json(), documented_gateway, "APIGW.0301")
        answer = send(emu, huawei_sdk(host, "GET", f"/v1/{project}/cloudservers/{unknown}", "", ak, sk, project))
        assert answer.status == 404 and answer.json()["error"]["code"] == "Ecs.0000", answer.body
        answer = send(emu, huawei_sdk(host, "DELETE", f"/v1/{project}/cloudservers/{server}", "", ak, sk, project))
        assert answer.status == 404 and answer.json()["error_code"] == "APIGW.0101", answer.body
        assert find(emu, server)["reboots_applied"] == 1


# ---------------------------------------------------------------------------------------------
# Baidu.

def baidu_flows(tls):
    with emulator("--instances", "1", "--time-scale", "1000", https=tls) as emu:
        instance_id = emu.instances("baidu")[0]["id"]
        signed = CLI.sign(case("baidu", "RebootInstance", {"instanceId": instance_id, "forceStop": False}, "bj"))
        answer = send(emu, signed, tls=tls)
        assert answer.status == 200 and answer.body == b"", answer.body
        assert re.fullmatch(r"[0-9a-f-]{36}", answer.header("x-bce-request-id"))
        documented_ok = documented("baidu", "reboot-ok-empty.json")
        assert documented_ok["status"] == 200 and documented_ok["body"] == ""
        parse_ok("baidu", "RebootInstance", answer)
        read = send(emu, CLI.sign(case("baidu", "GetInstance", {"instanceId": instance_id}, "bj")), tls=tls)
        assert_same_shape(read.json(), json.loads(documented("baidu", "get-instance-running.json")["body"]), "GetInstance")
        parse_ok("baidu", "GetInstance", read)
        wait_until(lambda: states_of(find(emu, instance_id)) == ["Running", "Starting", "Running"], "the reboot")


@test
def baidu_over_http():
    baidu_flows(False)


@test
def baidu_over_https():
    baidu_flows(True)


@test
def baidu_refusals_and_authentication():
    with emulator("--instances", "1", "--time-scale", "0.001") as emu:
        instance_id = emu.instances("baidu")[0]["id"]
        host = "bcc.bj.baidubce.com"
        ak, sk = keys("baidu")
        path = f"/v2/instance/{instance_id}"
        reboot = lambda **kw: baidu_bce(host, "PUT", kw.pop("path", path), [("reboot", "")], '{"forceStop":true}',  # noqa: E731
                                        kw.pop("ak", ak), sk, **kw)
        assert send(emu, reboot()).status == 200
        forbidden = json.loads(documented("baidu", "reboot-forbidden-409.json")["body"])
        for request, status, code in ((reboot(), 409, "Instance.RebootInstanceOperationForbidden"),
                                      (reboot(path="/v2/instance/i-nothere1"), 404, "NoSuchKey"),
                                      (reboot(ak="NOSUCHAK"), 403, "InvalidAccessKeyId"),
                                      (reboot(when=time.time() - 1801), 400, "RequestExpired"),
                                      (baidu_bce(host, "PUT", path, [("reboot", "")], "{not json", ak, sk), 400, "MalformedJSON")):
            answer = send(emu, request)
            assert answer.status == status and answer.json()["code"] == code, (code, answer.status, answer.body)
            assert_same_shape(answer.json(), forbidden, code)
            assert answer.header("x-bce-request-id") == answer.json()["requestId"]
        assert find(emu, instance_id)["reboots_applied"] == 1


# ---------------------------------------------------------------------------------------------
# Faults: what a client sees, what the ground truth and the log record.

def one_reboot_each(emu, tls=False):
    """A reboot request per provider (CLI-signed); returns {provider: (response or Closed)}."""
    out = {}
    ali = emu.instances("alibaba")[0]["id"]
    ten = emu.instances("tencent")[0]["id"]
    hua = emu.instances("huawei")[0]
    bai = emu.instances("baidu")[0]["id"]
    cases = {
        "alibaba": case("alibaba", "RebootInstances", {"InstanceId": [ali]}, "cn-hangzhou"),
        "tencent": case("tencent", "RebootInstances", {"InstanceIds": [ten]}, "ap-guangzhou"),
        "huawei": case("huawei", "BatchRebootServers", {"type": "SOFT", "servers": [hua["id"]]}, "cn-north-4",
                       project_id=hua["project_id"]),
        "baidu": case("baidu", "RebootInstance", {"instanceId": bai}, "bj"),
    }
    for provider, c in cases.items():
        try:
            out[provider] = send(emu, CLI.sign(c), tls=tls)
        except Closed:
            out[provider] = Closed
    return out


@test
def fault_throttle():
    with emulator("--instances", "1", "--faults", "throttle=1") as emu:
        seen = one_reboot_each(emu)
        expected = {"alibaba": (400, "Throttling.User"), "tencent": (200, "RequestLimitExceeded"),
                    "huawei": (429, "APIGW.0308"), "baidu": (429, "RequestRateLimitExceeded")}
        for provider, answer in seen.items():
            body = answer.json()
            code = body.get("Code") or body.get("Response", {}).get("Error", {}).get("Code") or body.get("error_code") \
                or body.get("code")
            assert (answer.status, code) == expected[provider], (provider, answer.status, answer.body)
        parse_refused("alibaba", "RebootInstances", seen["alibaba"], "Throttling.User")
        assert all(e["reboots_applied"] == 0 for e in emu.instances())
        assert [(line["verdict"], line["status"], line["code"]) for line in emu.log()] == [
            ("accepted", s, c) for s, c in expected.values()]


@test
def fault_gateway():
    with emulator("--instances", "1", "--faults", "gateway=1") as emu:
        for provider, answer in one_reboot_each(emu).items():
            assert answer.status in (502, 503, 504), (provider, answer.status)
            assert answer.header("Content-Type") == "text/html" and answer.body.startswith(b"<html>"), answer.body
            parse_refused(provider, {"alibaba": "RebootInstances", "tencent": "RebootInstances",
                                     "huawei": "BatchRebootServers", "baidu": "RebootInstance"}[provider], answer)
        assert all(e["reboots_applied"] == 0 for e in emu.instances())
        assert all(line["verdict"] == "accepted" and line["status"] in (502, 503, 504) and line["code"] is None
                   for line in emu.log())


@test
def fault_drop_after_apply():
    with emulator("--instances", "1", "--faults", "drop-after-apply=1", https=True) as emu:
        for provider, answer in one_reboot_each(emu, tls=True).items():
            assert answer is Closed, (provider, "the connection must close without an answer")
        assert all(e["reboots_applied"] == 1 for e in emu.instances()), "the reboots were applied"
        assert all(line["verdict"] == "accepted" and line["status"] is None and line["code"] is None
                   for line in emu.log())
        # Reads are not dropped: only requests that applied a reboot.
        ali = emu.instances("alibaba")[0]["id"]
        answer = send(emu, alibaba_rpc("ecs.cn-hangzhou.aliyuncs.com", {"Action": "DescribeInstanceStatus",
                                                                          "RegionId": "cn-hangzhou",
                                                                          "InstanceId.1": ali}, *keys("alibaba")))
        assert answer.status == 200


def rebooting_gaps(options):
    """Seconds between the first two history entries of each provider's first instance, once the
    reboot has gone one step further (same seed: the same jitter)."""
    with emulator("--instances", "1", "--seed", "5", "--time-scale", "100", *options) as emu:
        one_reboot_each(emu)
        assert [(line["verdict"], line["status"], line["code"]) for line in emu.log()] == [("accepted", 200, None)] * 4
        def gaps():
            out = {}
            for entry in emu.instances():
                if len(entry["history"]) < 3:
                    return None
                at = [time.mktime(time.strptime(h["at"][:19], "%Y-%m-%dT%H:%M:%S")) + float(h["at"][19:-1])
                      for h in entry["history"]]
                out[entry["provider"]] = at[2] - at[1]
            return out
        return wait_until(gaps, "one step of every reboot", limit=60)


@test
def fault_slow():
    normal = rebooting_gaps([])
    slow = rebooting_gaps(["--faults", "slow=1"])
    for provider in normal:
        ratio = slow[provider] / normal[provider]
        assert 9.9 < ratio < 10.1, (provider, normal[provider], slow[provider])
    # The typical times over --time-scale 100, +-20 %: Alibaba's Stopping is 10 s, the others' single step
    # 40 s (Tencent SOFT), 45 s (Huawei SOFT), 30 s (Baidu).
    typical = {"alibaba": 10, "tencent": 40, "huawei": 45, "baidu": 30}
    for provider, seconds in typical.items():
        assert 0.8 * seconds / 100 - 0.002 <= normal[provider] <= 1.2 * seconds / 100 + 0.002, (provider, normal[provider])


@test
def fault_stuck():
    with emulator("--instances", "1", "--time-scale", "1000", "--faults", "stuck=1") as emu:
        seen = one_reboot_each(emu)
        assert all(answer.status == 200 for answer in seen.values())
        time.sleep(0.5)  # ten times any reboot's typical length at this scale
        states = {e["provider"]: (e["state"], e["reboots_applied"], len(e["history"])) for e in emu.instances()}
        assert states == {"alibaba": ("Stopping", 1, 2), "tencent": ("REBOOTING", 1, 2), "huawei": ("REBOOT", 1, 2),
                          "baidu": ("Starting", 1, 2)}, states
        assert [(line["verdict"], line["status"]) for line in emu.log()] == [("accepted", 200)] * 4
        hua = emu.instances("huawei")[0]
        job_id = seen["huawei"].json()["job_id"]
        job = send(emu, CLI.sign(case("huawei", "ShowJob", {"job_id": job_id}, "cn-north-4",
                                      project_id=hua["project_id"]))).json()
        assert job["status"] == "RUNNING" and job["entities"]["sub_jobs"][0]["status"] == "RUNNING"
        ten = emu.instances("tencent")[0]["id"]
        info = send(emu, CLI.sign(case("tencent", "DescribeInstances", {"InstanceIds": [ten]}, "ap-guangzhou"))).json()
        assert info["Response"]["InstanceSet"][0]["LatestOperationState"] == "OPERATING"


@test
def fault_partial():
    with emulator("--instances", "8", "--seed", "3", "--faults", "partial=0.5") as emu:
        ids = [e["id"] for e in emu.instances("alibaba")]
        answer = send(emu, CLI.sign(case("alibaba", "RebootInstances", {"InstanceId": ids, "BatchOptimization": "SuccessFirst"},
                                         "cn-hangzhou")))
        codes = {i["InstanceId"]: i["Code"] for i in answer.json()["InstanceResponses"]["InstanceResponse"]}
        refused = {i for i, c in codes.items() if c != "200"}
        assert set(codes.values()) <= {"200", "InstanceLockedForSecurity", "InstanceExpiredOrInArrears"}, codes
        assert 0 < len(refused) < len(ids), "a rate of 0.5 over 8 instances refuses some, not all (seed 3)"
        truth = {e["id"]: e["reboots_applied"] for e in emu.instances("alibaba")}
        assert truth == {i: (0 if i in refused else 1) for i in ids}, truth
        # Tencent's batch is all or nothing: one refused instance refuses the call.
        tids = [e["id"] for e in emu.instances("tencent")]
        body = send(emu, CLI.sign(case("tencent", "RebootInstances", {"InstanceIds": tids}, "ap-guangzhou"))).json()
        assert body["Response"]["Error"]["Code"] in ("UnsupportedOperation.InstanceStateFreezing",
                                                     "UnsupportedOperation.InstanceStateIsolating"), body
        assert all(e["reboots_applied"] == 0 for e in emu.instances("tencent"))
        # Huawei: the job runs; the refused servers' sub-jobs fail with Ecs.0003.
        hua = emu.instances("huawei")
        job_id = send(emu, CLI.sign(case("huawei", "BatchRebootServers", {"type": "HARD", "servers": [e["id"] for e in hua]},
                                         "cn-north-4", project_id=hua[0]["project_id"]))).json()["job_id"]
        job = send(emu, CLI.sign(case("huawei", "ShowJob", {"job_id": job_id}, "cn-north-4",
                                      project_id=hua[0]["project_id"]))).json()
        failed = {s["entities"]["server_id"] for s in job["entities"]["sub_jobs"] if s["error_code"] == "Ecs.0003"}
        assert 0 < len(failed) < len(hua) or job["status"] == "INIT", job
        applied = {e["id"] for e in emu.instances("huawei") if e["reboots_applied"] == 1}
        assert applied == {e["id"] for e in hua} - failed or job["status"] == "INIT"
        assert sum(1 for line in emu.log() if line["verdict"] == "accepted") == len(emu.log())


@test
def fault_skew():
    with emulator("--instances", "1", "--faults", "skew=600") as emu:
        ten = emu.instances("tencent")[0]["id"]
        # Tencent's window is 5 minutes: a request signed with the machine's time is 10 minutes late.
        answer = send(emu, CLI.sign(case("tencent", "DescribeInstancesStatus", {"InstanceIds": [ten]}, "ap-guangzhou")))
        assert answer.json()["Response"]["Error"]["Code"] == "AuthFailure.SignatureExpire", answer.body
        served = time.mktime(time.strptime(answer.header("Date"), "%a, %d %b %Y %H:%M:%S GMT")) - time.mktime(time.gmtime())
        assert 590 <= served <= 610, f"the Date header shows the skewed clock ({served} s ahead)"
        # Signed with the skewed clock (as a client correcting from Date would): accepted.
        answer = send(emu, CLI.sign(case("tencent", "DescribeInstancesStatus", {"InstanceIds": [ten]}, "ap-guangzhou",
                                         time=now_text(600))))
        assert "Error" not in answer.json()["Response"], answer.body
        # Alibaba's window is 15 minutes: 10 minutes of skew still passes.
        ali = emu.instances("alibaba")[0]["id"]
        answer = send(emu, alibaba_rpc("ecs.cn-hangzhou.aliyuncs.com", {"Action": "DescribeInstanceStatus",
                                                                          "RegionId": "cn-hangzhou", "InstanceId.1": ali},
                                       *keys("alibaba")))
        assert answer.status == 200, answer.body
        assert time.strptime(emu.state()["now"][:19], "%Y-%m-%dT%H:%M:%S") > time.gmtime(time.time() + 500)
        assert [line["verdict"] for line in emu.log()] == ["rejected", "accepted", "accepted"]


@test
def fault_unknown_state():
    names = {"alibaba": "Rebooting", "tencent": "REBOOT_PENDING", "huawei": "REBOOT_STARTED", "baidu": "Rebooting"}
    with emulator("--instances", "1", "--time-scale", "0.001", "--faults", "unknown-state=1") as emu:
        one_reboot_each(emu)
        assert {e["provider"]: e["state"] for e in emu.instances()} == names
        assert {e["provider"]: states_of(e)[1] for e in emu.instances()} == names, "the history records the name"
        assert [(line["verdict"], line["status"]) for line in emu.log()] == [("accepted", 200)] * 4
        ali = emu.instances("alibaba")[0]["id"]
        answer = send(emu, alibaba_rpc("ecs.cn-hangzhou.aliyuncs.com", {"Action": "DescribeInstanceStatus",
                                                                          "RegionId": "cn-hangzhou", "InstanceId.1": ali},
                                       *keys("alibaba")))
        assert answer.json()["InstanceStatuses"]["InstanceStatus"][0]["Status"] == "Rebooting"
        # A name the library has never seen is kept as sent, not refused, and proves nothing.
        status, out, err = CLI.parse("alibaba", "DescribeInstanceStatus", answer)
        assert status == 0, err
        seen = out["instances"][0]
        assert (seen["status"], seen["known_state"], seen["progress"]) == ("Rebooting", False, "unknown"), seen
        bai = emu.instances("baidu")[0]["id"]
        read = send(emu, CLI.sign(case("baidu", "GetInstance", {"instanceId": bai}, "bj")))
        assert read.json()["instance"]["status"] == "Rebooting"


@test
def faults_follow_the_seed():
    def run():
        with emulator("--instances", "6", "--seed", "11", "--faults", "throttle=0.5,partial=0.3") as emu:
            ids = [e["id"] for e in emu.instances("alibaba")]
            codes = []
            for n in range(6):
                answer = send(emu, alibaba_rpc("ecs.cn-hangzhou.aliyuncs.com", {
                    "Action": "RebootInstances", "RegionId": "cn-hangzhou", "BatchOptimization": "SuccessFirst",
                    "DryRun": "false", **{f"InstanceId.{k + 1}": i for k, i in enumerate(ids)}}, *keys("alibaba")))
                body = answer.json()
                codes.append(body.get("Code") or [i["Code"] for i in body["InstanceResponses"]["InstanceResponse"]])
            return codes, [e["reboots_applied"] for e in emu.instances("alibaba")]
    first, second = run(), run()
    assert first == second, (first, second)
    assert any(c == "Throttling.User" for c in first[0]) or "Throttling.User" in first[0]


# ---------------------------------------------------------------------------------------------
# Time scale and start time.

@test
def time_scale_and_start_time():
    start = "2026-11-22T09:10:11Z"
    with emulator("--instances", "1", "--time-scale", "10", "--start-time", start) as emu:
        state = emu.state()
        assert state["now"][:16] == "2026-11-22T09:10", state["now"]
        assert all(e["history"][0]["at"].startswith("2026-11-22T09:10:1") for e in state["instances"])
        ali = emu.instances("alibaba")[0]["id"]
        # Signed at the emulator's time (the case's), not the machine's.
        signed = CLI.sign(case("alibaba", "RebootInstances", {"InstanceId": [ali]}, "cn-hangzhou", time=start))
        assert send(emu, signed).status == 200
        entry = wait_until(lambda: (lambda e: e if len(e["history"]) >= 3 else None)(find(emu, ali)), "Starting")
        at = [time.mktime(time.strptime(h["at"][:19], "%Y-%m-%dT%H:%M:%S")) + float(h["at"][19:-1]) for h in entry["history"]]
        assert 0.8 - 0.002 <= at[2] - at[1] <= 1.2 + 0.002, "Stopping lasts 10 s / 10, +-20 %"
        late = CLI.sign(case("alibaba", "RebootInstances", {"InstanceId": [ali]}, "cn-hangzhou"))  # the machine's time
        assert send(emu, late).json()["Code"] == "InvalidTimeStamp.Expired"


# ---------------------------------------------------------------------------------------------
# HTTP robustness and the control calls.

@test
def malformed_and_oversized_requests():
    with emulator("--instances", "1", https=True) as emu:
        for raw, status in ((b"GARBAGE\r\n\r\n", 400), (b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", 400),
                            (b"GET /_emulator/state HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n", 431),
                            (b"POST / HTTP/1.1\r\nHost: bcc.bj.baidubce.com\r\nContent-Length: 2000000\r\n\r\n" + b"x" * 1000, 413),
                            (b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello", 400)):
            conn = emu.connect()
            try:
                try:
                    conn.send_raw(raw)
                except OSError:
                    pass  # the server may answer and close before it has read everything
                answer = conn.read_response()
                assert answer.status == status, (raw[:40], answer.status)
                assert answer.header("Date"), "every answer carries the emulator's Date"
                try:
                    conn.send_raw(b"GET /_emulator/state HTTP/1.1\r\nHost: x\r\n\r\n")
                    conn.read_response()
                    raise AssertionError(f"the connection should close after {status}")
                except (Closed, OSError):
                    pass
            finally:
                conn.close()
        for garbage in (b"\x16\x03\x01\x00\x05hello", bytes(range(256)), b"\x16" * 3):  # TLS-looking and random bytes
            sock = socket.create_connection(("127.0.0.1", emu.port), timeout=5)
            sock.sendall(garbage)
            sock.close()
        answer = emu.control("GET", "/_emulator/state")  # still serving
        assert answer.status == 200
        answer = send(emu, {"method": "GET", "url": "http://example.com/", "headers": {"Host": "example.com"}, "body": ""})
        assert answer.status == 404
        assert emu.control("POST", "/_emulator/state").status == 405
        assert emu.control("GET", "/_emulator/shutdown").status == 405
        assert emu.control("GET", "/_emulator/reset").status == 404
    assert emu.proc.returncode == 0


@test
def expect_100_continue_is_answered_before_the_body():
    with emulator("--instances", "1") as emu:
        hua = emu.instances("huawei")[0]
        signed = CLI.sign(case("huawei", "BatchRebootServers", {"type": "SOFT", "servers": [hua["id"]]}, "cn-north-4",
                               project_id=hua["project_id"]))
        url = urllib.parse.urlsplit(signed["url"])
        body = signed["body"].encode()
        head = [f"POST {url.path} HTTP/1.1", "Expect: 100-continue", f"Content-Length: {len(body)}"]
        head += [f"{k}: {v}" for k, v in signed["headers"].items()]
        conn = emu.connect()
        try:
            conn.send_raw(("\r\n".join(head) + "\r\n\r\n").encode())
            assert conn.read_response().status == 100, "the interim answer comes before the body is sent"
            conn.send_raw(body)
            answer = conn.read_response()
            assert answer.status == 200 and "job_id" in answer.json(), answer.body
        finally:
            conn.close()


@test
def keep_alive_and_concurrent_connections():
    with emulator("--instances", "4", "--threads", "4", https=True) as emu:
        ids = [e["id"] for e in emu.instances("alibaba")]
        ak, sk = keys("alibaba")
        host = "ecs.cn-hangzhou.aliyuncs.com"

        def client(n):
            conn = emu.connect(tls=n % 2 == 1, server_name=host)
            statuses = []
            try:
                for _ in range(15):
                    request = alibaba_rpc(host, {"Action": "DescribeInstanceStatus", "RegionId": "cn-hangzhou",
                                                 "InstanceId.1": ids[n % 4]}, ak, sk)
                    statuses.append(send(emu, request, conn=conn).status)
            finally:
                conn.close()
            return statuses
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = list(pool.map(client, range(8)))
        assert all(s == [200] * 15 for s in results), results
        assert len(emu.log()) == 120


# ---------------------------------------------------------------------------------------------
# Every signed request in tests/data, at its own time with its own key, over HTTP and HTTPS; and
# the same requests with one byte changed.

def sdk_requests():
    """(scheme, name, provider, time, key, request) for every SDK-signed request in tests/data
    (ACS3 lines hold only the SDK's Authorization: they are signed by the CLI, checked against it)."""
    out = []
    for scheme, name, provider, c, request, sdk_authorization in sdk_cases(ARGS.data):
        if request is None:
            request = CLI.sign(c)
            got = {k.lower(): v for k, v in request["headers"].items()}.get("authorization")
            assert sdk_authorization is None or got == sdk_authorization, (scheme, name)
        out.append((scheme, name, provider, c["time"], c["credentials"], request))
    return out


# What a signature that no longer matches is refused with: the verifiers' codes and statuses
# (docs/emulator.md, "Authentication").
MISMATCH = {"alibaba": (400, "SignatureDoesNotMatch"), "tencent": (200, "AuthFailure.SignatureFailure"),
            "huawei": (401, "APIGW.0301"), "baidu": (400, "SignatureDoesNotMatch")}
# Parameters and headers a byte is not changed in: who signed, when and with which nonce (those
# give other refusals), and what frames or routes the request.
IDENTITY_PARAMETERS = {"accesskeyid", "secretid", "signature", "signaturenonce", "nonce", "timestamp",
                       "signaturemethod", "signatureversion", "securitytoken", "token"}
UNCHANGED_HEADERS = {"host", "authorization", "content-length", "x-acs-date", "x-tc-timestamp", "x-sdk-date",
                     "x-bce-date", "x-acs-signature-nonce", "x-acs-security-token", "x-tc-token",
                     "x-security-token", "x-bce-security-token"}


def changed_char(c):
    """Another character of the same class, so the text keeps its shape."""
    if c.isdigit():
        return str((int(c) + 1) % 10)
    if "a" <= c <= "z":
        return chr((ord(c) - ord("a") + 1) % 26 + ord("a"))
    if "A" <= c <= "Z":
        return chr((ord(c) - ord("A") + 1) % 26 + ord("A"))
    return None


def change_one_byte(text, from_end=False):
    """`text` with one letter or digit changed (never one of a %XX escape), or None."""
    positions = range(len(text) - 1, -1, -1) if from_end else range(len(text))
    for i in positions:
        if changed_char(text[i]) and not (i >= 1 and text[i - 1] == "%") and not (i >= 2 and text[i - 2] == "%"):
            return text[:i] + changed_char(text[i]) + text[i + 1:]
    return None


def change_pairs(text):
    """name=value&... with one byte changed in the value (or the name, when empty) of the first
    parameter that is not an identity, time, nonce or signature parameter; or None."""
    items = text.split("&")
    for n, item in enumerate(items):
        name, equals, value = item.partition("=")
        if urllib.parse.unquote(name).lower() in IDENTITY_PARAMETERS:
            continue
        changed = change_one_byte(value) if value else None
        if changed is not None:
            return "&".join(items[:n] + [f"{name}={changed}"] + items[n + 1:])
        changed = change_one_byte(name, from_end=True)
        if changed is not None:
            return "&".join(items[:n] + [changed + equals + value] + items[n + 1:])
    return None


def altered_requests(provider, request):
    """[(part, request with one byte changed)]: in the signature, the path, the query, a signed
    header and the body (Baidu's bce-auth-v1 does not sign the body: not there)."""
    out = []
    url = urllib.parse.urlsplit(request["url"])
    headers = dict(request["headers"])
    body = request.get("body", "")
    form = any(k.lower() == "content-type" and v.startswith("application/x-www-form-urlencoded")
               for k, v in headers.items())

    def with_url(path=None, query=None):
        return urllib.parse.urlunsplit((url.scheme, url.netloc, url.path if path is None else path,
                                        url.query if query is None else query, ""))

    def copy(**changes):
        return {**request, "headers": dict(headers), **changes}

    authorization = next(((k, v) for k, v in headers.items() if k.lower() == "authorization"), None)
    signed_names = []
    if authorization is not None:
        name, value = authorization
        if provider == "baidu":
            pieces = value.split("/")
            pieces[-1] = change_one_byte(pieces[-1], from_end=True)
            signed_names = pieces[-2].split(";")
            changed = "/".join(pieces)
        else:
            match = re.search(r"Signature=([0-9a-f]+)", value)
            changed = value[:match.end() - 1] + changed_char(value[match.end() - 1]) + value[match.end():]
            listed = re.search(r"SignedHeaders=([^,\s]+)", value)
            signed_names = listed.group(1).split(";") if listed else []
        out.append(("signature", copy(headers={**headers, name: changed})))
    else:
        def with_signature(text):
            items = text.split("&")
            for n, item in enumerate(items):
                if item.startswith("Signature="):
                    items[n] = "Signature=" + change_one_byte(item[len("Signature="):], from_end=True)
                    return "&".join(items)
            return None
        if with_signature(url.query):
            out.append(("signature", copy(url=with_url(query=with_signature(url.query)))))
        elif form and with_signature(body):
            out.append(("signature", copy(body=with_signature(body))))
    if url.path not in ("", "/"):
        out.append(("path", copy(url=with_url(path=change_one_byte(url.path, from_end=True)))))
    if url.query and change_pairs(url.query):
        out.append(("query", copy(url=with_url(query=change_pairs(url.query)))))
    for signed in signed_names:
        if signed in UNCHANGED_HEADERS:
            continue
        name = next((k for k in headers if k.lower() == signed), None)
        changed = change_one_byte(headers[name]) if name else None
        if changed is not None:
            out.append((f"header {signed}", copy(headers={**headers, name: changed})))
            break
    if body and provider != "baidu":
        changed = change_pairs(body) if form else change_one_byte(body, from_end=True)
        if changed is not None:
            out.append(("body", copy(body=changed)))
    return out


def replay_one(entry, tls_first):
    """Sends the SDK's request over both transports, then its altered copies, to an emulator
    started at the request's time holding its key; returns what the log says: the two sends
    [(transport, verdict, code)], Alibaba's replay of the nonce [(verdict, code)] and the altered
    sends [(part, verdict, status, code)]. Alibaba refuses a nonce seen before, so its second
    transport goes to a second emulator and the first one is sent the replay."""
    scheme, name, provider, when, credentials, request = entry
    work = tempfile.mkdtemp(prefix="sdk-")
    keys_file = os.path.join(work, "keys.json")
    with open(keys_file, "w") as f:
        json.dump({provider: [credentials]}, f)
    altered = altered_requests(provider, request)
    options = ("--start-time", when, "--keys", keys_file, "--threads", "1")
    first, second = tls_first, not tls_first
    with Emulator(ARGS.emulator, *options, https=True, workdir=work) as emu:
        send(emu, request, tls=first)
        send(emu, request, tls=second)
        for n, (_, changed) in enumerate(altered):
            send(emu, changed, tls=n % 2 == 1)
        log = emu.log()
    replayed = []
    if provider == "alibaba":
        replayed = [(log[1]["verdict"], log[1]["code"])]
        fresh = os.path.join(work, "fresh")
        os.mkdir(fresh)
        with Emulator(ARGS.emulator, *options, https=True, workdir=fresh) as emu:
            send(emu, request, tls=second)
            log = [log[0]] + emu.log() + log[2:]
    transports = ["https" if tls else "http" for tls in (first, second)]
    verdicts = [(transport, line["verdict"], line["code"]) for transport, line in zip(transports, log)]
    refusals = [(part, line["verdict"], line["status"], line["code"]) for (part, _), line in zip(altered, log[2:])]
    assert len(log) == 2 + len(altered), (scheme, name, len(log))
    return scheme, name, provider, verdicts, replayed, refusals


@test
def sdk_signed_requests_are_accepted_and_altered_ones_refused():
    entries = sdk_requests()
    routable = [entry for entry in entries if routable_host(url_host(entry[5]["url"]))]
    skipped_hosts = len(entries) - len(routable)
    total = len(routable)
    routable = sample_per_scheme(routable, ARGS.sdk_sample)
    counts = {}
    failures = []
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(replay_one, entry, n % 2 == 1) for n, entry in enumerate(routable)]
        for future in futures:
            scheme, name, provider, verdicts, replayed, refusals = future.result()
            count = counts.setdefault(scheme, {"cases": 0, "accepted": 0, "refused": 0, "wrong": 0})
            count["cases"] += 1
            for transport, verdict, code in verdicts:
                if verdict == "accepted":
                    count["accepted"] += 1
                else:
                    count["wrong"] += 1
                    failures.append((scheme, name, f"refused over {transport}", code))
            if provider == "alibaba" and replayed != [("rejected", "SignatureNonceUsed")]:
                count["wrong"] += 1
                failures.append((scheme, name, "a replay of the nonce", replayed))
            status, code = MISMATCH[provider]
            for part, verdict, got_status, got_code in refusals:
                if (verdict, got_status, got_code) == ("rejected", status, code):
                    count["refused"] += 1
                else:
                    count["wrong"] += 1
                    failures.append((scheme, name, f"one byte changed in the {part}", verdict, got_status, got_code))
            if len(refusals) < 2:
                failures.append((scheme, name, f"only {len(refusals)} parts could be altered"))
    print(f"    {len(routable)} of {total} SDK-signed requests, each over HTTP and HTTPS"
          + (f" (at most {ARGS.sdk_sample} per scheme)" if ARGS.sdk_sample else ""))
    for scheme, count in sorted(counts.items()):
        print(f"    {scheme}: {count['cases']} requests: {count['accepted']} sends accepted, "
              f"{count['refused']} altered sends refused with {MISMATCH[scheme.split('/')[0]][1]}, "
              f"{count['wrong']} otherwise")
    print(f"    ({skipped_hosts} requests addressed to hosts no provider route serves, e.g. 127.0.0.1 endpoints)")
    assert not failures, failures[:10]


# ---------------------------------------------------------------------------------------------

def main():
    global ARGS, CLI
    parser = argparse.ArgumentParser()
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--cli", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--only", default=None, help="run only the tests whose name contains this")
    parser.add_argument("--sdk-sample", type=int, default=0,
                        help="replay at most this many SDK-signed requests per scheme, spread evenly (0: all)")
    ARGS = parser.parse_args()
    CLI = Cli(ARGS.cli)
    passed = failed = 0
    for function in TESTS:
        if ARGS.only and ARGS.only not in function.__name__:
            continue
        started = time.monotonic()
        try:
            function()
            passed += 1
            print(f"ok    {function.__name__} ({time.monotonic() - started:.1f} s)", flush=True)
        except Exception:  # noqa: BLE001 - every failure is reported, then the next test runs
            failed += 1
            print(f"FAIL  {function.__name__}", flush=True)
            traceback.print_exc()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
