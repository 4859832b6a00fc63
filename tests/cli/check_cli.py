#!/usr/bin/env python3
"""Drives the `cloudreboot` binary through its contract (docs/cli.md).

Every vector folder is signed through `sign` and `explain` and compared with its files; every
invalid case must exit 2 naming its field on stderr; every generated SDK case (a sample when
--sample is given) must give the SDK's signature; `errors`, `parse` (every read call of every
provider, with every kind of failing answer), `demo`, `explain --against`, Alibaba's state read, environment
credentials and the exit codes are checked; no output may contain a secret key.
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import pathlib
import subprocess
import sys
import tempfile

# Filled from `cloudreboot providers` (the library's registry) before any check runs.
PROVIDERS: tuple = ()
ENV_NAMES = {
    "alibaba": ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN"),
    "tencent": ("TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SESSION_TOKEN"),
    "huawei": ("HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN"),
    "baidu": ("BCE_ACCESS_KEY_ID", "BCE_SECRET_ACCESS_KEY", "BCE_SESSION_TOKEN"),
}


class Checker:
    def __init__(self, cli: str):
        self.cli = cli
        self.passed = 0
        self.failed = 0

    def run(self, args, stdin_text="", env=None):
        clean_env = {k: v for k, v in os.environ.items()
                     if not any(k in names for names in ENV_NAMES.values())}
        if env:
            clean_env.update(env)
        return subprocess.run([self.cli, *args], input=stdin_text, capture_output=True, text=True, env=clean_env)

    def check(self, condition: bool, what: str, detail: str = "") -> bool:
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {what}" + (f"\n     {detail}" if detail else ""))
        return condition

    def no_secret(self, case: dict, *outputs: str, what: str) -> None:
        secret = (case.get("credentials") or {}).get("access_key_secret", "")
        if len(secret) >= 8:
            self.check(all(secret not in out for out in outputs), f"{what}: the secret key appears in the output")
        for key in derived_keys(case):
            for form in key_forms(key):
                self.check(all(form.lower() not in out.lower() for out in outputs),
                           f"{what}: a key derived from the secret appears in the output")


def derived_keys(case: dict) -> list:
    """The keys each scheme derives from the secret, computed here independently of the library:
    Baidu's signing key, Huawei V11's HKDF key, TC3's date/service/signing chain. Each signs any
    request of its scope, so none may appear in any output."""
    creds = case.get("credentials") or {}
    ak, sk = creds.get("access_key_id", ""), creds.get("access_key_secret", "")
    time, provider, scheme = case.get("time", ""), case.get("provider"), case.get("signature", "")
    if not sk or len(time) < 20:
        return []
    mac = lambda key, text: hmac.new(key, text.encode(), hashlib.sha256).digest()
    if provider == "baidu":
        return [mac(sk.encode(), f"bce-auth-v1/{ak}/{time}/1800").hex().encode()]
    if provider == "huawei" and scheme == "v11-hmac-sha256":
        info = f"{time[0:4]}{time[5:7]}{time[8:10]}/{case.get('region', '')}/ecs"
        prk = hmac.new(ak.encode(), sk.encode(), hashlib.sha256).digest()
        return [mac(prk, info + "\x01").hex().encode()]
    if provider == "tencent" and scheme in ("", "tc3-hmac-sha256"):
        endpoint = case.get("endpoint") or "cvm.tencentcloudapi.com"
        service = endpoint.split("://")[-1].split(".")[0].split(":")[0]
        secret_date = mac(("TC3" + sk).encode(), time[0:10])
        secret_service = mac(secret_date, service)
        return [secret_date, secret_service, mac(secret_service, "tc3_request")]
    return []


def key_forms(key: bytes) -> list:
    raw = bytes.fromhex(key.decode()) if len(key) == 64 else key
    forms = [raw.hex(), base64.b64encode(raw).decode().rstrip("="), base64.urlsafe_b64encode(raw).decode().rstrip("=")]
    if len(key) == 64:
        forms.append(key.decode())  # the hex text is itself the next HMAC key
    return forms


def vector_folders(data: pathlib.Path):
    for provider in PROVIDERS:
        for case_file in sorted((data / provider).glob("*/*/case.json")):
            yield provider, case_file.parent


def check_vectors(c: Checker, data: pathlib.Path) -> None:
    for provider, folder in vector_folders(data):
        name = f"{provider}/{folder.parent.name}/{folder.name}"
        case_text = (folder / "case.json").read_text()
        case = json.loads(case_text)
        signed = c.run(["sign", str(folder / "case.json")])
        if not c.check(signed.returncode == 0, f"{name}: sign exits 0", signed.stderr.strip()):
            continue
        c.no_secret(case, signed.stdout, signed.stderr, what=name)
        if (folder / "request.json").is_file():
            want = json.loads((folder / "request.json").read_text())
            got = json.loads(signed.stdout)
            c.check(got == want, f"{name}: sign output equals request.json", f"got {signed.stdout.strip()}")
        explained = c.run(["explain", "-"], stdin_text=case_text)
        if not c.check(explained.returncode == 0, f"{name}: explain exits 0", explained.stderr.strip()):
            continue
        stages = json.loads(explained.stdout)
        for key in ("canonical_request", "string_to_sign", "signature"):
            c.check(key in stages, f"{name}: explain prints {key}")
        for stage_file in sorted(folder.glob("*.txt")):
            stage = stage_file.stem
            if stage in stages:
                c.check(stages[stage] == stage_file.read_text(), f"{name}: explain's {stage} equals {stage_file.name}")
        curl = c.run(["curl", str(folder / "case.json")])
        c.check(curl.returncode == 0 and curl.stdout.startswith("curl "), f"{name}: curl prints a command")
        c.no_secret(case, explained.stdout, explained.stderr, curl.stdout, curl.stderr, what=name)
        broken = dict(case, time="2026-13-45T99:99:99Z")
        refused = c.run(["explain", "-"], stdin_text=json.dumps(broken))
        c.check(refused.returncode == 2, f"{name}: a bad time is refused", refused.stderr.strip())
        c.no_secret(case, refused.stdout, refused.stderr, what=name + " (error)")


def check_invalid(c: Checker, data: pathlib.Path) -> None:
    for provider in PROVIDERS:
        for path in sorted((data / provider / "invalid").glob("*.json")):
            spec = json.loads(path.read_text())
            result = c.run(["sign", "-"], stdin_text=json.dumps(spec["case"]))
            name = f"{provider}/invalid/{path.name}"
            c.check(result.returncode == 2, f"{name}: exits 2", f"exit {result.returncode}, stderr {result.stderr.strip()}")
            c.check(spec["field"] in result.stderr, f"{name}: stderr names {spec['field']}", result.stderr.strip())
            c.check(result.stdout == "", f"{name}: prints nothing on stdout")
            c.no_secret(spec["case"], result.stdout, result.stderr, what=name)


def check_generated(c: Checker, data: pathlib.Path, sample: int) -> None:
    for provider in PROVIDERS:
        for path in sorted((data / provider).glob("*/generated.jsonl")):
            lines = [line for line in path.read_text().splitlines() if line.strip()]
            for number, line in enumerate(lines, 1):
                if sample > 1 and number % sample != 1:
                    continue
                entry = json.loads(line)
                name = f"{provider}/{path.parent.name}/generated.jsonl:{number}"
                result = c.run(["explain", "-"], stdin_text=json.dumps(entry["case"]))
                if not c.check(result.returncode == 0, f"{name}: explain exits 0", result.stderr.strip()):
                    continue
                got = json.loads(result.stdout)
                c.no_secret(entry["case"], result.stdout, result.stderr, what=name)
                for key, want in entry["expected"].items():
                    if key in ("signing_key", "secret_date", "secret_service", "secret_signing"):
                        c.check(want.lower() not in result.stdout.lower(), f"{name}: the derived {key} is not shown")
                        continue
                    if key == "request":
                        request = {k: got[k] for k in ("method", "url", "headers", "body")}
                        c.check(request == want, f"{name}: request equals the SDK's", f"got {request}")
                    else:
                        c.check(got.get(key) == want, f"{name}: {key} equals the SDK's", f"got {got.get(key)!r}, want {want!r}")


def check_environment_credentials(c: Checker, data: pathlib.Path) -> None:
    done = set()
    for provider, folder in vector_folders(data):
        if provider in done:
            continue
        case = json.loads((folder / "case.json").read_text())
        creds = case.pop("credentials", None)
        if not creds:
            continue
        id_name, secret_name, token_name = ENV_NAMES[provider]
        env = {id_name: creds["access_key_id"], secret_name: creds["access_key_secret"]}
        if creds.get("security_token"):
            env[token_name] = creds["security_token"]
        from_env = c.run(["sign", "-"], stdin_text=json.dumps(case), env=env)
        from_case = c.run(["sign", str(folder / "case.json")])
        c.check(from_env.returncode == 0 and from_env.stdout == from_case.stdout,
                f"{provider}: credentials from {id_name}/{secret_name} sign like credentials in the case",
                from_env.stderr.strip())
        missing = c.run(["sign", "-"], stdin_text=json.dumps(case))
        c.check(missing.returncode == 2 and "credentials" in missing.stderr,
                f"{provider}: no credentials anywhere exits 2 naming credentials", missing.stderr.strip())
        done.add(provider)


def check_verbs(c: Checker, data: pathlib.Path) -> None:
    c.check(c.run(["--help"]).returncode == 0, "--help exits 0")
    c.check(c.run([]).returncode == 2, "no verb exits 2")
    c.check(c.run(["reboot-everything"]).returncode == 2, "an unknown verb exits 2")
    bad_json = c.run(["sign", "-"], stdin_text="{\"provider\": ")
    c.check(bad_json.returncode == 2 and "case" in bad_json.stderr, "a truncated case exits 2 naming the case")
    unknown = c.run(["sign", "-"], stdin_text='{"provider": "oracle", "action": "x", "time": "2026-11-22T09:10:11Z", "params": {}}')
    c.check(unknown.returncode == 2 and "provider" in unknown.stderr, "an unknown provider exits 2 naming provider")
    c.check(c.run(["sign", "/nonexistent/case.json"]).returncode == 2, "an unreadable FILE exits 2")
    for provider in PROVIDERS:
        table = c.run(["errors", provider])
        ok = table.returncode == 0
        c.check(ok, f"errors {provider} exits 0", table.stderr.strip())
        if ok:
            rows = json.loads(table.stdout)
            c.check(isinstance(rows, list) and len(rows) > 0, f"errors {provider} prints a non-empty table")
            first = rows[0]["code"]
            one = c.run(["errors", provider, first])
            c.check(one.returncode == 0 and json.loads(one.stdout)["code"] == first, f"errors {provider} {first}")
        c.check(c.run(["errors", provider, "No.Such.Code"]).returncode == 2, f"errors {provider} with an unknown code exits 2")
        garbage = c.run(["parse", "--provider", provider, "--action", "x", "-"], stdin_text='{"status": 200, "body": "<<<"}')
        c.check(garbage.returncode in (1, 2), f"parse {provider} of a garbage body fails cleanly",
                f"exit {garbage.returncode}")
    demo = c.run(["demo"])
    c.check(demo.returncode == 0, "demo exits 0", demo.stderr.strip())
    lines = [json.loads(line) for line in demo.stdout.splitlines() if line.strip()]
    seen = {(line["provider"], line["action"]) for line in lines}
    for pair in (("alibaba", "RebootInstances"), ("alibaba", "RebootInstance"), ("tencent", "RebootInstances"),
                 ("huawei", "BatchRebootServers"), ("baidu", "RebootInstance")):
        c.check(pair in seen, f"demo signs {pair[0]} {pair[1]}")
    c.check(all("Authorization" in json.dumps(line["request"]) or "Signature" in json.dumps(line["request"])
                for line in lines), "every demo request carries a signature")


def gateway_answer(string_to_sign: str, xml: bool = False) -> str:
    """A SignatureDoesNotMatch answer as the gateway writes it, carrying `string_to_sign`."""
    message = ("Specified signature is not matched with our calculation. server string to sign is:"
               + string_to_sign)
    if xml:
        escaped = message.replace("&", "&amp;").replace("<", "&lt;")
        return ('<?xml version="1.0" encoding="UTF-8"?><Error><RequestId>540CFF28-407A-40B5-B6A5-74B000000000'
                '</RequestId><HostId>ecs.cn-hangzhou.aliyuncs.com</HostId><Code>SignatureDoesNotMatch</Code>'
                f"<Message>{escaped}</Message></Error>")
    return json.dumps({"RequestId": "540CFF28-407A-40B5-B6A5-74B000000000", "HostId": "ecs.cn-hangzhou.aliyuncs.com",
                       "Code": "SignatureDoesNotMatch", "Message": message})


def check_against(c: Checker, data: pathlib.Path, scratch: pathlib.Path) -> None:
    """explain --against: the gateway's string to sign differs in one parameter, which is named."""
    rpc_case = data / "alibaba" / "rpc-hmac-sha1" / "r1-two-ids-post" / "case.json"
    acs3_case = data / "alibaba" / "acs3-hmac-sha256" / "a1-two-ids" / "case.json"
    ours = json.loads(c.run(["explain", str(rpc_case)]).stdout)["string_to_sign"]

    def against(answer_text: str, case: pathlib.Path, name: str):
        answer = scratch / name
        answer.write_text(answer_text)
        return c.run(["explain", "--against", str(answer), str(case)])

    changes = {
        "a different Timestamp": (ours.replace("09%253A10%253A11Z", "09%253A10%253A12Z"), "Timestamp",
                                  "2026-11-22T09:10:11Z", "2026-11-22T09:10:12Z"),
        "an extra parameter": (ours.replace("%26Format%3DJSON", "%26Format%3DJSON%26OwnerId%3D42"), "OwnerId",
                               None, "42"),
        "a missing parameter": (ours.replace("%26DryRun%3Dtrue", ""), "DryRun", "true", None),
    }
    for what, (theirs, name, ours_value, theirs_value) in changes.items():
        for form in ("json", "xml", "http"):
            text = gateway_answer(theirs, xml=form == "xml")
            if form == "http":
                text = json.dumps({"status": 400, "headers": {"Content-Type": "application/json"}, "body": text})
            done = against(text, rpc_case, f"answer-{form}.txt")
            if not c.check(done.returncode == 0, f"explain --against ({form}, {what}) exits 0", done.stderr.strip()):
                continue
            out = json.loads(done.stdout)
            first = out["first_difference"] or {}
            c.check(out["same"] is False and first.get("part") == "parameter" and first.get("name") == name
                    and first.get("ours") == ours_value and first.get("theirs") == theirs_value,
                    f"explain --against ({form}, {what}) names {name}", done.stdout)
            c.check(out["ours"] == ours and out["theirs"] == theirs, f"explain --against ({form}) prints both strings")
    same = json.loads(against(gateway_answer(ours), rpc_case, "same.json").stdout)
    c.check(same["same"] is True and same["first_difference"] is None, "explain --against an identical string: same")
    method = json.loads(against(gateway_answer("GET" + ours[4:]), rpc_case, "method.json").stdout)
    c.check(method["first_difference"]["part"] == "method", "explain --against names a different method")
    acs3 = json.loads(against(gateway_answer("ACS3-HMAC-SHA256\n" + "0" * 64), acs3_case, "acs3.json").stdout)
    lines = [line["line"] for line in acs3.get("our_canonical_request", [])]
    c.check(acs3["first_difference"]["part"] == "hashed_canonical_request" and lines[:3] == [
        "method", "canonical_uri", "canonical_query"] and "header host" in lines and lines[-1] == "hashed_payload",
        "explain --against an ACS3 answer names the hashed canonical request and lists our lines", json.dumps(acs3))
    c.check(against('{"Code": "Throttling", "Message": "slow down"}', rpc_case, "other.json").returncode == 2,
            "explain --against an answer without a string to sign exits 2")
    c.check(against("not an answer", rpc_case, "garbage.txt").returncode == 2, "explain --against garbage exits 2")
    tencent_case = data / "tencent" / "tc3-hmac-sha256" / "t1-post-json" / "case.json"
    c.check(against(gateway_answer(ours), tencent_case, "tencent.json").returncode == 2,
            "explain --against with a non-Alibaba case exits 2")
    c.check(c.run(["explain", "--against"]).returncode == 2, "explain --against without ANSWER exits 2")


# Every action `parse` reads, with a success answer and a documented error answer of its own.
PARSE_CASES = {
    "alibaba": {
        "actions": ("RebootInstances", "RebootInstance", "DescribeInstanceStatus"),
        "success": {"RebootInstances": '{"RequestId":"R"}', "RebootInstance": '{"RequestId":"R"}',
                    "DescribeInstanceStatus": '{"RequestId":"R","TotalCount":0,"PageNumber":1,"PageSize":10,'
                                              '"InstanceStatuses":{"InstanceStatus":[]}}'},
        "error": ('{"RequestId":"R","HostId":"ecs.aliyuncs.com","Code":"InvalidParameter","Message":"m"}',
                  "InvalidParameter", 400, "fix_request"),
    },
    "tencent": {
        "actions": ("RebootInstances", "DescribeInstancesStatus", "DescribeInstances"),
        "success": {"RebootInstances": '{"Response":{"RequestId":"R"}}',
                    "DescribeInstancesStatus": '{"Response":{"TotalCount":0,"InstanceStatusSet":[],"RequestId":"R"}}',
                    "DescribeInstances": '{"Response":{"TotalCount":0,"InstanceSet":[],"RequestId":"R"}}'},
        "error": ('{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"m"},"RequestId":"R"}}',
                  "AuthFailure.SignatureFailure", 200, "fix_request"),
    },
    "huawei": {
        "actions": ("BatchRebootServers", "ShowJob", "ShowServer"),
        "success": {"BatchRebootServers": '{"job_id":"j"}', "ShowJob": '{"status":"RUNNING","job_id":"j"}',
                    "ShowServer": '{"server":{"id":"s","status":"ACTIVE"}}'},
        "error": ('{"error":{"code":"Ecs.0005","message":"m"}}', "Ecs.0005", 400, "fix_request"),
    },
    "baidu": {
        "actions": ("RebootInstance", "GetInstance"),
        "success": {"RebootInstance": "", "GetInstance": '{"instance":{"id":"i-a","status":"Running"}}'},
        "error": ('{"requestId":"R","code":"MalformedJSON","message":"m"}', "MalformedJSON", 400, "fix_request"),
    },
}

FAILING_BODIES = {
    "empty": "",
    "html": "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1>"
            "</center><hr><center>nginx</center></body>\r\n</html>",
    "text": "upstream connect error or disconnect/reset before headers",
    "other json": '{"message":"no healthy upstream"}',
}


def check_parse(c: Checker) -> None:
    """`parse` exits 0 for a success, 1 for the provider's failure (printed on stdout) or an answer
    it cannot read (the reason on stderr), and 2 only when its own input is bad."""
    def parse(provider, action, response):
        text = response if isinstance(response, str) else json.dumps(response)
        return c.run(["parse", "--provider", provider, "--action", action, "-"], stdin_text=text)

    for provider, spec in PARSE_CASES.items():
        error_body, error_code, error_status, error_advice = spec["error"]
        for action in spec["actions"]:
            name = f"parse {provider} {action}"
            ok = parse(provider, action, {"status": 200, "body": spec["success"][action]})
            c.check(ok.returncode == 0 and json.loads(ok.stdout).get("ok") is True, f"{name}: a success exits 0",
                    f"exit {ok.returncode}, stderr {ok.stderr.strip()}")
            for status in (429, 500, 502, 503, 504, 400, 403, 404, 409):
                want = "retry_with_backoff" if status in (429, 500, 502, 503, 504) else "not_retryable"
                for kind, body in FAILING_BODIES.items():
                    what = f"{name} HTTP {status} {kind} body"
                    got = parse(provider, action, {"status": status, "headers": {"Retry-After": "7"}, "body": body})
                    if not c.check(got.returncode == 1, f"{what}: exits 1", f"exit {got.returncode}, {got.stderr.strip()}"):
                        continue
                    outcome = json.loads(got.stdout)
                    error = outcome.get("error", {})
                    c.check(outcome.get("ok") is False and error.get("code") == f"HTTP {status}"
                            and error.get("retry") == want and error.get("known") is False,
                            f"{what}: prints the status's failure with {want}", got.stdout.strip())
                    c.check(error.get("retry_after") == {"header": "Retry-After", "delay_ms": 7000},
                            f"{what}: prints Retry-After", got.stdout.strip())
                    c.check(got.stderr == "", f"{what}: nothing on stderr", got.stderr.strip())
            documented = parse(provider, action, {"status": error_status, "body": error_body})
            c.check(documented.returncode == 1, f"{name}: a documented error answer exits 1",
                    f"exit {documented.returncode}, {documented.stderr.strip()}")
            if documented.returncode == 1:
                error = json.loads(documented.stdout)["error"]
                c.check(error["code"] == error_code and error["known"] and error["retry"] == error_advice
                        and "retry_after" not in error, f"{name}: the documented error keeps its table entry",
                        documented.stdout.strip())
            busy = parse(provider, action, {"status": 503, "body": error_body})
            c.check(busy.returncode == 1 and json.loads(busy.stdout)["error"]["retry"] == "retry_with_backoff",
                    f"{name}: a known 'fix the request' code with HTTP 503 is retried", busy.stdout.strip())
            if action != "RebootInstance" or provider != "baidu":  # an empty 2xx body is a Baidu reboot's success
                bad = parse(provider, action, {"status": 200, "body": "<<<"})
                c.check(bad.returncode == 1 and bad.stdout == "" and bad.stderr.startswith("cloudreboot: "),
                        f"{name}: a malformed success answer exits 1 with the reason on stderr",
                        f"exit {bad.returncode}, stdout {bad.stdout.strip()}")
        # Only the tool's own input is bad input.
        action = spec["actions"][0]
        for wrapper in ('{"status": "503"}', '{"status": 700}', "not json", '{"status": 503, "body": 5}',
                        '{"status": 503, "headers": {"Retry-After": 7}}'):
            got = parse(provider, action, wrapper)
            c.check(got.returncode == 2 and got.stdout == "", f"parse {provider}: a malformed wrapper {wrapper} exits 2",
                    f"exit {got.returncode}")
        unknown = parse(provider, "NoSuchAction", {"status": 200, "body": ""})
        c.check(unknown.returncode == 2 and "action" in unknown.stderr, f"parse {provider}: an unknown action exits 2")
def check_readers(c: Checker, data: pathlib.Path) -> None:
    """Cases and response files: a byte order mark is skipped, a repeated key is refused (exit 2)."""
    done = set()
    for provider, folder in vector_folders(data):
        if provider in done:
            continue
        done.add(provider)
        case_text = (folder / "case.json").read_text()
        plain = c.run(["sign", "-"], stdin_text=case_text)
        marked = c.run(["sign", "-"], stdin_text="\ufeff" + case_text)
        c.check(marked.returncode == 0 and marked.stdout == plain.stdout,
                f"{provider}: a case behind a byte order mark signs like the case", marked.stderr.strip())
        # A second "params" would silently replace or be dropped: refused, naming the key.
        case = json.loads(case_text)
        doubled = json.dumps(case)[:-1] + ', "params": {}}'
        refused = c.run(["sign", "-"], stdin_text=doubled)
        c.check(refused.returncode == 2 and 'duplicate key "params"' in refused.stderr and refused.stdout == "",
                f"{provider}: a case with two params exits 2 naming the key", refused.stderr.strip())
        name, value = next(iter(case["params"].items()))
        params_text = json.dumps(case["params"])[:-1] + ", " + json.dumps(name) + ": " + json.dumps(value) + "}"
        rest = {key: item for key, item in case.items() if key != "params"}
        inner = json.dumps(rest)[:-1] + ', "params": ' + params_text + "}"
        refused = c.run(["sign", "-"], stdin_text=inner)
        c.check(refused.returncode == 2 and f'duplicate key "{name}"' in refused.stderr,
                f"{provider}: a case repeating params.{name} exits 2 naming it", refused.stderr.strip())
    # Response files: the file's own keys, and the answer inside it.
    answer = '{"Response": {"RequestId": "6ef60bec-0242-43af-bb20-270359fb54a7"}}'
    response = json.dumps({"status": 200, "headers": {}, "body": answer})
    args = ["parse", "--provider", "tencent", "--action", "RebootInstances", "-"]
    plain = c.run(args, stdin_text=response)
    c.check(plain.returncode == 0, "parse reads a documented Tencent answer", plain.stderr.strip())
    marked = c.run(args, stdin_text="\ufeff" + response)
    c.check(marked.returncode == 0 and marked.stdout == plain.stdout, "parse skips a byte order mark before the file",
            marked.stderr.strip())
    inner_mark = c.run(args, stdin_text=json.dumps({"status": 200, "headers": {}, "body": "\ufeff" + answer}))
    c.check(inner_mark.returncode == 0 and inner_mark.stdout == plain.stdout,
            "parse skips a byte order mark before the answer", inner_mark.stderr.strip())
    twice = c.run(args, stdin_text=response[:-1] + ', "body": "{}"}')
    c.check(twice.returncode == 2 and 'duplicate key "body"' in twice.stderr,
            "a response file with two bodies exits 2 naming the key", twice.stderr.strip())
    repeated = answer[:-2] + ', "RequestId": "other"}}'
    bad_answer = c.run(args, stdin_text=json.dumps({"status": 200, "headers": {}, "body": repeated}))
    c.check(bad_answer.returncode in (1, 2) and 'duplicate key "RequestId"' in bad_answer.stderr,
            "an answer with a repeated key is refused, naming the key", f"exit {bad_answer.returncode}: {bad_answer.stderr.strip()}")


def check_alibaba_status_read(c: Checker) -> None:
    """sign signs Alibaba's DescribeInstanceStatus (the fleet session's read), checking its parameters."""
    case = {"provider": "alibaba", "action": "DescribeInstanceStatus", "region": "cn-hangzhou",
            "time": "2026-11-22T09:10:11Z", "nonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
            "credentials": {"access_key_id": "AK", "access_key_secret": "SK"}}
    for scheme in ("acs3-hmac-sha256", "rpc-hmac-sha1"):
        params = {"InstanceId": ["i-bp67acfmxazb4ph00001", "i-bp67acfmxazb4ph00002"], "PageSize": 50}
        signed = c.run(["sign", "-"], stdin_text=json.dumps(dict(case, signature=scheme, params=params)))
        ok = c.check(signed.returncode == 0, f"sign alibaba DescribeInstanceStatus {scheme} exits 0", signed.stderr.strip())
        if ok:
            text = json.dumps(json.loads(signed.stdout))
            c.check(all(part in text for part in ("DescribeInstanceStatus", "InstanceId.2=i-bp67acfmxazb4ph00002",
                                                  "PageSize=50", "RegionId=cn-hangzhou")),
                    f"sign alibaba DescribeInstanceStatus {scheme}: the action and its parameters are sent", text)
    for params, field in (({"PageSize": 51}, "PageSize"), ({"PageNumber": 0}, "PageNumber"), ({"Pagesize": 5}, "Pagesize"),
                          ({"PageSize": "50"}, "PageSize"), ({"InstanceId": ["bad id"]}, "InstanceId.1"),
                          ({"RegionId": "cn-beijing"}, "RegionId")):
        refused = c.run(["sign", "-"], stdin_text=json.dumps(dict(case, params=params)))
        c.check(refused.returncode == 2 and field in refused.stderr,
                f"sign alibaba DescribeInstanceStatus with {params} exits 2 naming {field}", refused.stderr.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", required=True)
    parser.add_argument("--data", required=True, type=pathlib.Path)
    parser.add_argument("--sample", type=int, default=1, help="check every Nth generated case (1: all)")
    args = parser.parse_args()
    c = Checker(args.cli)
    global PROVIDERS
    PROVIDERS = tuple(subprocess.run([args.cli, "providers"], check=True, capture_output=True, text=True).stdout.split())
    c.check(len(PROVIDERS) > 0 and all(p in ENV_NAMES for p in PROVIDERS),
            f"providers: every registered provider has its environment names here: {PROVIDERS}")
    check_verbs(c, args.data)
    check_parse(c)
    check_vectors(c, args.data)
    check_invalid(c, args.data)
    check_generated(c, args.data, args.sample)
    check_environment_credentials(c, args.data)
    check_readers(c, args.data)
    with tempfile.TemporaryDirectory() as scratch:
        check_against(c, args.data, pathlib.Path(scratch))
    check_alibaba_status_read(c)
    print(f"{c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
