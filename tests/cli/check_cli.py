#!/usr/bin/env python3
"""Drives the `cloudreboot` binary through its contract (../shared/spec/cli.md).

Every vector folder is signed through `sign` and `explain` and compared with its files; every
invalid case must exit 2 naming its field on stderr; every generated SDK case (a sample when
--sample is given) must give the SDK's signature; `errors`, `parse`, `demo`, `explain --against`,
environment credentials and the exit codes are checked; no output may contain a secret key.
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile

PROVIDERS = ("alibaba", "tencent", "huawei", "baidu")
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
                for key, want in entry["expected"].items():
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", required=True)
    parser.add_argument("--data", required=True, type=pathlib.Path)
    parser.add_argument("--sample", type=int, default=1, help="check every Nth generated case (1: all)")
    args = parser.parse_args()
    c = Checker(args.cli)
    check_verbs(c, args.data)
    check_vectors(c, args.data)
    check_invalid(c, args.data)
    check_generated(c, args.data, args.sample)
    check_environment_credentials(c, args.data)
    with tempfile.TemporaryDirectory() as scratch:
        check_against(c, args.data, pathlib.Path(scratch))
    print(f"{c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
