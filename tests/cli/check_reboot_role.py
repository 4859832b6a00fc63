#!/usr/bin/env python3
"""Role credentials from the emulator's instance metadata services (docs/emulator.md, "Instance
metadata"; docs/cli.md, "Credentials").

1. Expired tokens are refused with each provider's own code: for each provider, keys are fetched
   from its metadata service (lifetime 2 s), a case is signed with them by `cloudreboot sign`; sent
   at once it is accepted, sent again after the keys expired it is refused (Alibaba 400
   InvalidSecurityToken.Expired, Tencent AuthFailure.TokenFailure, Huawei 401 APIGW.0301, Baidu
   403 AccessDenied).
2. The mid-run expiry scenario: `cloudreboot reboot --metadata` over the whole fleet (four
   clouds), with role keys that last 70 s of a run that lasts longer (reboots at --time-scale 0.5):
   every instance is rebooted exactly once, each group fetched fresh keys, some keys expired while
   the run went on, and no request was refused as expired.

Usage: check_reboot_role.py --cli PATH --emulator PATH
"""
import argparse
import datetime
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_reboot import HTTP_HOSTS, PROVIDERS, Emulator  # noqa: E402

EXPIRED = {"alibaba": (400, "InvalidSecurityToken.Expired"), "tencent": (200, "AuthFailure.TokenFailure"),
           "huawei": (401, "APIGW.0301"), "baidu": (403, "AccessDenied")}
METADATA = {  # (host, token PUT or None, credentials path, reader of the answer)
    "alibaba": ("100.100.100.200", "/latest/api/token", "/latest/meta-data/ram/security-credentials/",
                lambda d: (d["AccessKeyId"], d["AccessKeySecret"], d["SecurityToken"])),
    "tencent": ("metadata.tencentyun.com", None, "/latest/meta-data/cam/security-credentials/",
                lambda d: (d["TmpSecretId"], d["TmpSecretKey"], d["Token"])),
    "huawei": ("169.254.169.254", "/meta-data/latest/api/token", "/openstack/latest/securitykey",
               lambda d: (d["credential"]["access"], d["credential"]["secret"], d["credential"]["securitytoken"])),
    "baidu": ("169.254.169.254", None, "/latest/meta-data/sts-credential",
              lambda d: (d["accessKeyId"], d["secretAccessKey"], d["sessionToken"])),
}
TOKEN_HEADERS = {"alibaba": ("X-aliyun-ecs-metadata-token-ttl-seconds", "X-aliyun-ecs-metadata-token"),
                 "huawei": ("X-Metadata-Token-Ttl-Seconds", "X-Metadata-Token")}

failures = []


def check(condition, what, detail=""):
    if not condition:
        failures.append(what)
        print("FAIL " + what + (f"\n     {detail}" if detail else ""), flush=True)
    return condition


def exchange(address, method, host, path, headers=None, body=""):
    connection = http.client.HTTPConnection(*address.rsplit(":", 1), timeout=30)
    # One Host header: a signed request may already name it (lower-cased, as signed).
    sent = {name: value for name, value in (headers or {}).items() if name.lower() != "host"}
    sent["Host"] = host
    connection.request(method, path, body=body.encode(), headers=sent)
    answer = connection.getresponse()
    text = answer.read().decode()
    connection.close()
    return answer.status, text


def role_keys(address, provider):
    host, token_path, path, read = METADATA[provider]
    headers = {}
    if token_path:
        status, token = exchange(address, "PUT", host, token_path, {TOKEN_HEADERS[provider][0]: "60"})
        check(status == 200, f"{provider}: the metadata token PUT answers 200", token)
        headers[TOKEN_HEADERS[provider][1]] = token
    if path.endswith("/"):
        status, role = exchange(address, "GET", host, path, headers)
        check(status == 200 and role, f"{provider}: the role's name is served", role)
        path += role
    status, text = exchange(address, "GET", host, path, headers)
    check(status == 200, f"{provider}: the credentials are served", text[:200])
    return read(json.loads(text))


def case_for(provider, keys, now):
    region = {"alibaba": "cn-hangzhou", "tencent": "ap-guangzhou", "huawei": "cn-north-4", "baidu": "bj"}[provider]
    case = {"provider": provider, "region": region, "time": now,
            "endpoint": "http://" + HTTP_HOSTS[provider].format(region=region),
            "credentials": {"access_key_id": keys[0], "access_key_secret": keys[1], "security_token": keys[2]}}
    if provider == "alibaba":
        case.update(action="DescribeInstanceStatus", nonce=os.urandom(8).hex(), params={})
    elif provider == "tencent":
        case.update(action="DescribeInstancesStatus", nonce=str(int.from_bytes(os.urandom(3), "big")), params={})
    elif provider == "huawei":
        case.update(action="ShowServer", project_id="0" * 32,
                    params={"server_id": "616fb98f-46ca-475e-917e-2563e5a8cd19"})
    else:
        case.update(action="GetInstance", params={"instanceId": "i-YufwpQAe"})
    return case


def send_signed(address, request):
    url = request["url"]
    rest = url.split("://", 1)[1]
    host, _, path = rest.partition("/")
    return exchange(address, request["method"], host, "/" + path, request["headers"], request["body"])


def error_code(provider, text):
    try:
        doc = json.loads(text)
    except ValueError:
        return ""
    if provider == "tencent":
        return doc.get("Response", {}).get("Error", {}).get("Code", "")
    if provider == "huawei":
        return doc.get("error_code", "")
    return doc.get("Code") or doc.get("code") or ""


def check_expired_refused(cli, emulator, workdir):
    emu = Emulator(emulator, workdir, False, "", 5, 1, write_keys(workdir), extra=["--role-credential-lifetime", "2s"])
    try:
        for provider in PROVIDERS:
            keys = role_keys(emu.address, provider)
            now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            signed = subprocess.run([cli, "sign", "-"], input=json.dumps(case_for(provider, keys, now)),
                                    capture_output=True, text=True)
            if not check(signed.returncode == 0, f"{provider}: sign with the role keys", signed.stderr):
                continue
            request = json.loads(signed.stdout)
            status, text = send_signed(emu.address, request)
            check(error_code(provider, text) not in ("InvalidSecurityToken.Expired", "AuthFailure.TokenFailure",
                                                     "APIGW.0301", "AccessDenied", "SignatureDoesNotMatch"),
                  f"{provider}: a request signed with live role keys is accepted", f"{status} {text[:300]}")
            time.sleep(3)  # past the keys' 2 s: waiting for an expiry, nothing about speed is judged
            request = json.loads(subprocess.run([cli, "sign", "-"], capture_output=True, text=True, input=json.dumps(
                case_for(provider, keys, datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")))
            ).stdout)
            status, text = send_signed(emu.address, request)
            want_status, want_code = EXPIRED[provider]
            check(status == want_status and error_code(provider, text) == want_code,
                  f"{provider}: expired role keys are refused with {want_status} {want_code}", f"{status} {text[:300]}")
            check(keys[1] not in text and keys[2] not in text, f"{provider}: the refusal holds no secret or token")
    finally:
        emu.stop()


def write_keys(workdir):
    path = os.path.join(workdir, "keys.json")
    with open(path, "w") as out:
        json.dump({p: [{"access_key_id": f"static-{p}", "access_key_secret": os.urandom(16).hex()}] for p in PROVIDERS},
                  out)
    return path


def check_mid_run(cli, emulator, workdir):
    log_file = os.path.join(workdir, "log.jsonl")
    emu = Emulator(emulator, workdir, True, "", 11, 3, write_keys(workdir),
                   extra=["--role-credential-lifetime", "35s", "--log", log_file], time_scale="0.5")
    try:
        truth = emu.control("GET", "/_emulator/state")
        groups = {}
        for one in truth["instances"]:
            key = (one["provider"], one["region"], one.get("project_id"))
            groups.setdefault(key, []).append(one["id"])
        document = {"groups": [dict({"provider": p, "region": r, "instances": ids}, **({"project_id": j} if j else {}))
                               for (p, r, j), ids in sorted(groups.items())],
                    "policy": {"deadline": "10m"}, "seed": 3}
        groups_file = os.path.join(workdir, "groups.json")
        with open(groups_file, "w") as out:
            json.dump(document, out)
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        env["HOME"] = workdir  # no files: the chain ends at the metadata service
        done = subprocess.run([cli, "reboot", "--groups", groups_file, "--metadata", "--connect-to", emu.address,
                               "--cacert", emu.ca], env=env, capture_output=True, text=True, timeout=900)
        report = json.loads(done.stdout) if done.stdout.strip() else {}
        after = emu.control("GET", "/_emulator/state")
        applied = {(t["provider"], t["id"]): t["reboots_applied"] for t in after["instances"]}
        outcomes = {(o["provider"], o["id"]) if "provider" in o else o["id"]: o["outcome"]
                    for o in report.get("instances", [])}
        check(done.returncode == 0, "mid-run: reboot exits 0", done.stderr[-2000:])
        check(all(v == 1 for v in applied.values()) and len(applied) == 12,
              "mid-run: every instance rebooted exactly once", str(applied))
        check(all(v == "rebooted" for v in outcomes.values()) and len(outcomes) == 12,
              "mid-run: the report says rebooted for all 12", str(outcomes))
        lines = done.stderr.splitlines()
        refreshes = [line for line in lines if "fresh credentials from" in line]
        for index in range(len(document["groups"])):
            check(any(f"group {index} " in line for line in refreshes), f"mid-run: group {index} fetched fresh keys")
        first = [line.rsplit("expiring ", 1)[1] for line in lines if line.startswith("cloudreboot: credentials for")]
        check(len(first) == 4, "mid-run: the first keys of each provider are announced with their expiry", str(first))
        # The scenario needs the first keys to expire while the run goes on (a condition of the
        # scenario, not a speed check): some request was answered after the earliest expiry.
        with open(log_file) as lines_in:
            log = [json.loads(line) for line in lines_in if line.strip()]
        expired_codes = {code for _, code in EXPIRED.values()} - {"AccessDenied", "APIGW.0301"}
        refused = [entry for entry in log if entry.get("code") in expired_codes or
                   (entry.get("verdict") == "rejected")]
        check(not refused, "mid-run: no request was refused (none as expired)", str(refused[:3]))
        last_at = max((entry["at"] for entry in log), default="")
        earliest = min(first, default="9999")
        check(last_at[:19] > earliest[:19], "mid-run: the first keys expired while the run went on",
              f"last request {last_at}, first keys expire {earliest}")
        finished = [line for line in lines if "finished in" in line]
        check(bool(finished), "mid-run: the summary line is printed")
        print(f"mid-run: {len(log)} requests, {len(refreshes)} refreshes, first keys expiring {earliest}, "
              f"last request {last_at}; {finished[-1] if finished else ''}")
    finally:
        emu.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", required=True)
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--skip-mid-run", action="store_true", help="only the expired-token checks")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        check_expired_refused(args.cli, args.emulator, workdir)
    if not args.skip_mid_run:
        with tempfile.TemporaryDirectory() as workdir:
            check_mid_run(args.cli, args.emulator, workdir)
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
