#!/usr/bin/env python3
"""Drives `cloudreboot plan` and `cloudreboot replay` through their contract (docs/cli.md, "Fleets").

plan: for every provider, signature scheme and stop mode, with and without preflight, each planned
request is byte for byte what `cloudreboot sign` prints for the equivalent case (the same time, the
nonce the plan used, read from the planned request); chunks hold 100 / 100 / 1,000 / 1 ids
(Alibaba / Tencent / Huawei / Baidu reboots) and 50 / 100 / 1 / 1 (their state reads); repeated and
malformed ids are not planned; keys come from the environment as a case's do, and a missing one is
exit 2 naming it; bad documents are exit 2 naming the field. replay: every transcript in
tests/data/fleet prints the report stored beside it and exits 0 or 3 as that report says; a
tampered transcript is exit 2. The run ends with "N passed, M failed".
"""
import argparse
import datetime
import json
import pathlib
import sys
import urllib.parse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from check_cli import ENV_NAMES, Checker  # noqa: E402  (the same runner: a clean environment)

TIME = "2026-11-22T09:10:11Z"
KEYS = {"access_key_id": "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "access_key_secret": "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"}
PROJECT = "77b6a44cba5143ab91d13ab9a8ff44fd"
REGIONS = {"alibaba": "cn-hangzhou", "tencent": "ap-guangzhou", "huawei": "cn-north-4", "baidu": "bj"}
SCHEMES = {"alibaba": (None, "rpc-hmac-sha1"), "tencent": (None, "hmac-sha256", "hmac-sha1"),
           "huawei": (None, "v11-hmac-sha256"), "baidu": (None,)}
STOPS = {"alibaba": ("soft", "hard"), "tencent": ("soft", "hard", "soft-then-hard"), "huawei": ("soft", "hard"),
         "baidu": ("soft", "hard")}
# Ids per request: (reboot, state read) for each provider.
CHUNKS = {"alibaba": (100, 50), "tencent": (100, 100), "huawei": (1000, 1), "baidu": (1, 1)}


def instance_id(provider: str, n: int) -> str:
    """A well-formed id, distinct for each n."""
    if provider == "alibaba":
        return f"i-bp67acfmxazb{n:08d}"
    if provider == "tencent":
        return f"ins-{n:08d}"
    if provider == "huawei":
        return f"616fb98f-46ca-475e-917e-{n:012x}"
    return f"i-Yu{n:06d}"


def group_of(provider: str, ids, **extra) -> dict:
    group = {"provider": provider, "region": REGIONS[provider], "instances": list(ids)}
    if provider == "huawei":
        group["project_id"] = PROJECT
    group.update(extra)
    return {key: value for key, value in group.items() if value is not None}


def document(groups, preflight=True, seed=42, **policy) -> str:
    doc = {"groups": groups, "policy": dict(policy, preflight=preflight)}
    if seed is not None:
        doc["seed"] = seed
    return json.dumps(doc)


def plan(c: Checker, text: str, env=None, time=TIME):
    args = ["plan", "--time", time, "-"] if time else ["plan", "-"]
    return c.run(args, stdin_text=text, env=env)


def plan_lines(result) -> list:
    return [line for line in result.stdout.split("\n") if line]


def nonce_of(request: dict):
    """The nonce a planned request was signed with: Alibaba's x-acs-signature-nonce or
    SignatureNonce, Tencent's Nonce (in the query or a form body). None where the scheme has none."""
    for name, value in request["headers"].items():
        if name.lower() == "x-acs-signature-nonce":
            return value
    for text in (urllib.parse.urlsplit(request["url"]).query, request["body"]):
        for pair in text.split("&"):
            name, _, value = pair.partition("=")
            if name in ("SignatureNonce", "Nonce"):
                return urllib.parse.unquote(value)
    return None


def equivalent_case(group: dict, planned: dict, dry_run=False) -> dict:
    """The case `sign` must turn into the same request: the group's target, the plan's time, the
    nonce the plan used, and the action and parameters the session sends for this request."""
    provider, ids, read = group["provider"], planned["instances"], planned.get("read", False)
    hard = group.get("stop") == "hard"
    case = {"provider": provider, "region": group["region"], "time": TIME,
            "credentials": group.get("credentials", KEYS)}
    for name in ("signature", "endpoint", "project_id"):
        if name in group:
            case[name] = group[name]
    nonce = nonce_of(planned["request"])
    if nonce is not None:
        case["nonce"] = nonce
    if provider == "alibaba":
        if read:
            case.update(action="DescribeInstanceStatus", params={"InstanceId": ids, "PageSize": 50})
        else:
            params = {"InstanceId": ids, "ForceReboot": hard, "BatchOptimization": "SuccessFirst"}
            if dry_run:
                params["DryRun"] = True
            case.update(action="RebootInstances", params=params)
    elif provider == "tencent":
        if read:
            case.update(action="DescribeInstances", params={"InstanceIds": ids, "Limit": 100})
        else:
            stop = {"soft": "SOFT", "hard": "HARD", "soft-then-hard": "SOFT_FIRST"}[group.get("stop", "soft")]
            case.update(action="RebootInstances", params={"InstanceIds": ids, "StopType": stop})
    elif provider == "huawei":
        if read:
            case.update(action="ShowServer", params={"server_id": ids[0]})
        else:
            case.update(action="BatchRebootServers", params={"type": "HARD" if hard else "SOFT", "servers": ids})
    else:
        if read:
            case.update(action="GetInstance", params={"instanceId": ids[0]})
        else:
            case.update(action="RebootInstance", params={"instanceId": ids[0], "forceStop": hard})
    return case


def request_text(line: str) -> str:
    """The "request" member of a plan line exactly as printed."""
    start = line.index('"request":') + len('"request":')
    tail = ',"read":true}' if line.endswith(',"read":true}') else "}"
    return line[start:len(line) - len(tail)]


def check_signs_alike(c: Checker, what: str, groups: list, lines: list, dry_run=False, pick=None) -> None:
    """Every planned request (or those `pick` chooses) is byte for byte `sign` of its case."""
    for number, line in enumerate(lines):
        if pick is not None and not pick(number):
            continue
        planned = json.loads(line)
        case = equivalent_case(groups[planned["group"]], planned, dry_run)
        signed = c.run(["sign", "-"], stdin_text=json.dumps(case))
        if not c.check(signed.returncode == 0, f"{what}: line {number + 1}: sign of the equivalent case exits 0",
                       signed.stderr.strip()):
            continue
        c.check(request_text(line) == signed.stdout.rstrip("\n"),
                f"{what}: line {number + 1}: the planned request is byte for byte sign's",
                f"plan {request_text(line)}\n     sign {signed.stdout.strip()}")


def check_plan_signs_like_sign(c: Checker) -> None:
    for provider in REGIONS:
        for scheme in SCHEMES[provider]:
            for stop in STOPS[provider]:
                for preflight in (True, False):
                    extra = {"stop": stop, "credentials": KEYS}
                    if scheme:
                        extra["signature"] = scheme
                    if stop == "hard":  # a local endpoint too, once per provider and scheme
                        extra["endpoint"] = "http://127.0.0.1:8080"
                    groups = [group_of(provider, [instance_id(provider, n) for n in (1, 2, 3)], **extra)]
                    what = f"plan {provider} {scheme or 'default'} {stop} preflight={preflight}"
                    result = plan(c, document(groups, preflight))
                    if not c.check(result.returncode == 0, f"{what}: exits 0", result.stderr.strip()):
                        continue
                    lines = plan_lines(result)
                    reads = [json.loads(line).get("read", False) for line in lines]
                    c.check(lines and all(reads) == preflight and any(reads) == preflight,
                            f"{what}: {'state reads' if preflight else 'reboots'} only", result.stdout[:300])
                    check_signs_alike(c, what, groups, lines)
    # One document, four clouds: "group" is the group's index, requests in the groups' order.
    groups = [group_of(p, [instance_id(p, 7)], credentials=KEYS) for p in ("baidu", "tencent", "huawei", "alibaba")]
    for preflight in (True, False):
        result = plan(c, document(groups, preflight))
        lines = plan_lines(result)
        c.check(result.returncode == 0 and [json.loads(line)["group"] for line in lines] == [0, 1, 2, 3],
                f"plan of four groups (preflight={preflight}): one request per group, in order", result.stdout[:300])
        check_signs_alike(c, f"plan of four groups (preflight={preflight})", groups, lines)
    # Alibaba's dry run is a RebootInstances with DryRun; the clouds without one are sent nothing.
    dry = [group_of("alibaba", [instance_id("alibaba", 1)], credentials=KEYS),
           group_of("tencent", [instance_id("tencent", 1)], credentials=KEYS)]
    result = plan(c, document(dry, preflight=False, dry_run=True))
    lines = plan_lines(result)
    c.check(result.returncode == 0 and len(lines) == 1 and json.loads(lines[0])["group"] == 0,
            "plan of a dry run: only Alibaba's DryRun request", result.stdout[:300])
    c.check("1 of the 2 instance ids" in result.stderr, "plan of a dry run: a note counts what is not planned",
            result.stderr.strip())
    check_signs_alike(c, "plan of a dry run", dry, lines, dry_run=True)


def check_chunking(c: Checker) -> None:
    counts = {"alibaba": 250, "tencent": 250, "huawei": 2500, "baidu": 5}
    for provider, count in counts.items():
        ids = [instance_id(provider, n) for n in range(count)]
        groups = [group_of(provider, ids, credentials=KEYS)]
        for preflight in (False, True):
            what = f"plan {provider} of {count} ids (preflight={preflight})"
            result = plan(c, document(groups, preflight))
            if not c.check(result.returncode == 0, f"{what}: exits 0", result.stderr.strip()):
                continue
            lines = plan_lines(result)
            chunk = CHUNKS[provider][1 if preflight else 0]
            sizes = [len(json.loads(line)["instances"]) for line in lines]
            want = [chunk] * (count // chunk) + ([count % chunk] if count % chunk else [])
            c.check(sizes == want, f"{what}: chunks of {chunk}", f"got {sizes[:12]}... ({len(sizes)} requests)")
            planned = [i for line in lines for i in json.loads(line)["instances"]]
            c.check(planned == ids, f"{what}: every id once, in the order given")
            # The full chunks sign alike too (the first and the last request; Huawei reads are 2,500).
            check_signs_alike(c, what, groups, lines, pick=lambda n, last=len(lines) - 1: n in (0, last))


def check_repeats_and_malformed(c: Checker) -> None:
    cases = {
        "tencent": (["ins-00000001", "ins-00000001", "bad id", "INS-00000002", "ins-00000002"],
                    ["ins-00000001", "ins-00000002"]),
        "alibaba": (["i-bp67acfmxazb00000001", "i-bp67acfmxazb 0000002", "i-bp67acfmxazb00000001", ""],
                    ["i-bp67acfmxazb00000001"]),
        # Huawei server ids are UUIDs, compared without regard to case: the first spelling is planned.
        "huawei": (["616fb98f-46ca-475e-917e-2563e5a8cd19", "616FB98F-46CA-475E-917E-2563E5A8CD19", "not-a-uuid"],
                   ["616fb98f-46ca-475e-917e-2563e5a8cd19"]),
        "baidu": (["i-YufwpQAe", "x-YufwpQAe", "i-YufwpQAe", "i-Yufwp/Ae"], ["i-YufwpQAe"]),
    }
    for provider, (given, want) in cases.items():
        for preflight in (False, True):
            what = f"plan {provider} with repeated and malformed ids (preflight={preflight})"
            result = plan(c, document([group_of(provider, given, credentials=KEYS)], preflight))
            if not c.check(result.returncode == 0, f"{what}: exits 0", result.stderr.strip()):
                continue
            planned = [i for line in plan_lines(result) for i in json.loads(line)["instances"]]
            c.check(planned == want, f"{what}: plans {want}", f"got {planned}")
            c.check(f"note: {len(given) - len(want)} of the {len(given)} instance ids" in result.stderr,
                    f"{what}: a note counts the ids not planned", result.stderr.strip())


def check_environment(c: Checker) -> None:
    token = "token-EXAMPLE-123"
    for provider in REGIONS:
        id_name, secret_name, token_name = ENV_NAMES[provider]
        ids = [instance_id(provider, n) for n in (1, 2)]
        given = group_of(provider, ids, credentials=dict(KEYS, security_token=token))
        bare = group_of(provider, ids)
        env = {id_name: KEYS["access_key_id"], secret_name: KEYS["access_key_secret"], token_name: token}
        for preflight in (False, True):
            what = f"plan {provider} (preflight={preflight})"
            from_document = plan(c, document([given], preflight))
            from_env = plan(c, document([bare], preflight), env=env)
            c.check(from_env.returncode == 0 and from_env.stdout == from_document.stdout and from_env.stdout,
                    f"{what}: keys from {id_name}, {secret_name}, {token_name} plan like keys in the group",
                    from_env.stderr.strip())
        missing = plan(c, document([bare]))
        c.check(missing.returncode == 2 and "groups[0].credentials" in missing.stderr and id_name in missing.stderr
                and missing.stdout == "", f"plan {provider}: no keys anywhere exits 2 naming {id_name}",
                missing.stderr.strip())
        no_secret = plan(c, document([bare]), env={id_name: KEYS["access_key_id"]})
        c.check(no_secret.returncode == 2 and secret_name in no_secret.stderr,
                f"plan {provider}: no secret exits 2 naming {secret_name}", no_secret.stderr.strip())
    # Only the group without keys needs the environment, and the error names that group.
    mixed = [group_of("tencent", ["ins-00000001"], credentials=KEYS), group_of("baidu", ["i-Yu000001"])]
    result = plan(c, document(mixed))
    c.check(result.returncode == 2 and "groups[1].credentials" in result.stderr and "BCE_ACCESS_KEY_ID" in result.stderr,
            "plan: the group without keys is named", result.stderr.strip())
    result = plan(c, document(mixed), env={"BCE_ACCESS_KEY_ID": "AK", "BCE_SECRET_ACCESS_KEY": "SK"})
    c.check(result.returncode == 0 and len(plan_lines(result)) == 2, "plan: keys from the document and from the "
            "environment in one plan", result.stderr.strip())
    # No secret is printed, whichever way it came.
    c.check(all(KEYS["access_key_secret"] not in out for out in (from_document.stdout, from_document.stderr,
                                                                 from_env.stdout, from_env.stderr)),
            "plan prints no secret")


def check_bad_documents(c: Checker) -> None:
    good = group_of("tencent", ["ins-00000001"], credentials=KEYS)

    def with_group(**changes):
        group = dict(good)
        for key, value in changes.items():
            if value is None:
                group.pop(key, None)
            else:
                group[key] = value
        return group

    bad = {
        "an unknown member of the document": ('{"groups": [%s], "polcy": {}}' % json.dumps(good), "polcy"),
        "an unknown member of a group": (document([good, with_group(stopp="hard")]), "groups[1].stopp"),
        "an unknown member of the policy": (document([good], deadlin="10m"), "policy.deadlin"),
        "a duration without a unit": (document([good], deadline="600"), "policy.deadline"),
        "a duration in words": (document([good], deadline="10 minutes"), "policy.deadline"),
        "a bad poll duration": (json.dumps({"groups": [good], "policy": {"poll": {"max": "5x"}}}), "policy.poll.max"),
        "no retries at all": (json.dumps({"groups": [good], "policy": {"retry": {"attempts": 0}}}),
                              "policy.retry.attempts"),
        "an unknown stop mode": (document([with_group(stop="gentle")]), "groups[0].stop"),
        "an unknown provider": (document([with_group(provider="oracle")]), "groups[0].provider"),
        "a bad region": (document([good, with_group(region="Guangzhou!")]), "groups[1].region"),
        "no instances": (document([with_group(instances=[])]), "groups[0].instances"),
        "an id that is not a string": (document([with_group(instances=["ins-00000001", 7])]), "groups[0].instances[1]"),
        "an unknown scheme": (document([with_group(signature="md5")]), "groups[0].signature"),
        "half the credentials": (document([with_group(credentials={"access_key_id": "AK"})]),
                                 "groups[0].credentials.access_key_secret"),
        "a negative seed": (document([good], seed=-1), "seed"),
        "no groups": (json.dumps({"groups": []}), "groups"),
        "huawei without a project": (document([group_of("huawei", [instance_id("huawei", 1)], credentials=KEYS,
                                                        project_id=None)]), "groups[0].project_id"),
        "not JSON": ('{"groups": [', "JSON"),
    }
    for provider in ("alibaba", "huawei", "baidu"):
        bad[f"soft-then-hard on {provider}"] = (
            document([good, group_of(provider, [instance_id(provider, 1)], credentials=KEYS, stop="soft-then-hard")]),
            "groups[1].stop")
    for what, (text, field) in bad.items():
        result = plan(c, text)
        c.check(result.returncode == 2 and field in result.stderr and result.stdout == "",
                f"plan of {what}: exits 2 naming {field}", f"exit {result.returncode}: {result.stderr.strip()}")
    # soft-then-hard is Tencent's StopType=SOFT_FIRST, and accepted there (above: it signs alike).
    result = c.run(["plan", "--time", "22 Nov 2026", "-"], stdin_text=document([good]))
    c.check(result.returncode == 2 and "--time" in result.stderr and result.stdout == "",
            "plan --time with a time that is not RFC 3339 exits 2 naming --time", result.stderr.strip())
    for args in (["plan", "a.json", "b.json"], ["plan", "--time"], ["replay", "a.jsonl", "b.jsonl"]):
        result = c.run(args)
        c.check(result.returncode == 2 and "usage:" in result.stderr, f"{' '.join(args)} exits 2 with the usage",
                result.stderr.strip()[:200])


def check_seed_and_time(c: Checker) -> None:
    groups = [group_of("alibaba", [instance_id("alibaba", 1)], credentials=KEYS)]
    first = plan(c, document(groups, seed=None))
    second = plan(c, document(groups, seed=None))
    seeds = []
    for result in (first, second):
        note = [line for line in result.stderr.splitlines() if line.startswith("cloudreboot: note: seed ")]
        if c.check(result.returncode == 0 and len(note) == 1, "plan without a seed says which seed it drew",
                   result.stderr.strip()):
            seeds.append(int(note[0].split()[3]))
    if len(seeds) == 2:
        c.check(seeds[0] != seeds[1] and first.stdout != second.stdout, "plan without a seed draws a fresh one each time")
        again = plan(c, document(groups, seed=seeds[0]))
        c.check(again.returncode == 0 and again.stdout == first.stdout and "note: seed" not in again.stderr,
                "plan with the seed it named plans the same requests", again.stderr.strip())
        c.check(seeds[0] < 2 ** 53, "a drawn seed fits a JSON number")
    # Without --time: signed at the machine's time now.
    baidu = [group_of("baidu", ["i-Yu000001"], credentials=KEYS)]
    before = datetime.datetime.now(datetime.timezone.utc)
    result = plan(c, document(baidu), time=None)
    after = datetime.datetime.now(datetime.timezone.utc)
    if c.check(result.returncode == 0, "plan without --time exits 0", result.stderr.strip()):
        signed_at = datetime.datetime.strptime(json.loads(plan_lines(result)[0])["request"]["headers"]["x-bce-date"],
                                               "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
        c.check(before.replace(microsecond=0) <= signed_at <= after, "plan without --time signs at the time now",
                f"{before} <= {signed_at} <= {after}")
    # An offset is applied, a fraction dropped: the case's time rules.
    east = plan(c, document(baidu), time="2026-11-22T17:10:11.999+08:00")
    utc = plan(c, document(baidu))
    c.check(east.returncode == 0 and east.stdout == utc.stdout, "plan --time with an offset plans at the same instant")


def check_replay(c: Checker, data: pathlib.Path) -> None:
    folder = data / "fleet"
    transcripts = sorted(folder.glob("*.transcript.jsonl"))
    c.check(len(transcripts) >= 2, f"transcript fixtures in {folder}")
    statuses = set()
    for path in transcripts:
        name = path.name[: -len(".transcript.jsonl")]
        report_text = (folder / f"{name}.report.json").read_text()
        report = json.loads(report_text)
        want = 0 if report["counts"]["rebooted"] == len(report["instances"]) else 3
        statuses.add(want)
        result = c.run(["replay", str(path)])
        c.check(result.returncode == want, f"replay {name}: exits {want}", f"exit {result.returncode}: {result.stderr.strip()}")
        c.check(result.stdout == report_text, f"replay {name}: prints the session's report", result.stdout[:300])
        c.check(result.stderr == "", f"replay {name}: nothing on stderr", result.stderr.strip())
        text = path.read_text()
        piped = c.run(["replay"], stdin_text=text)
        c.check(piped.returncode == want and piped.stdout == report_text, f"replay {name} from standard input")
        check_tampered(c, name, text)
    c.check(statuses == {0, 3}, "the fixtures cover both exit statuses of replay", f"got {sorted(statuses)}")
    empty = c.run(["replay", "-"], stdin_text="")
    c.check(empty.returncode == 2 and "transcript" in empty.stderr, "replay of nothing exits 2", empty.stderr.strip())


def check_tampered(c: Checker, name: str, text: str) -> None:
    lines = text.splitlines()

    def refused(altered: str, what: str, field: str) -> None:
        result = c.run(["replay", "-"], stdin_text=altered)
        c.check(result.returncode == 2 and field in result.stderr and result.stdout == "",
                f"replay {name} with {what}: exits 2 naming {field}", f"exit {result.returncode}: {result.stderr.strip()}")

    # A request the session does not send: one byte of its URL's host.
    for number, line in enumerate(lines):
        if line.startswith('{"exchange":2,'):
            at = line.index('"url":"') + len('"url":"https://')
            altered = lines[:number] + [line[:at] + "X" + line[at + 1:]] + lines[number + 1:]
            refused("\n".join(altered) + "\n", "another URL in exchange 2", "exchange 2")
            break
    else:
        c.check(False, f"replay {name}: the fixture has an exchange 2")
    # Another seed: other nonces, other backoffs (at least one request differs).
    header = json.loads(lines[0])
    header["seed"] = header["seed"] + 1 if isinstance(header["seed"], int) else 1
    if any(json.loads(line).get("request", {}).get("headers", {}).get("x-acs-signature-nonce") for line in lines[1:]):
        refused("\n".join([json.dumps(header)] + lines[1:]) + "\n", "another seed", "exchange")
    # The last exchange missing, the header missing, a line that is not JSON.
    refused("\n".join(lines[:-1]) + "\n", "its last exchange removed", "exchange")
    refused("\n".join(lines[1:]) + "\n", "no header", "line 1")
    refused("\n".join(lines[:2] + ["{not json"] + lines[2:]) + "\n", "a line that is not JSON", "line 3")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", required=True)
    parser.add_argument("--data", required=True, type=pathlib.Path)
    args = parser.parse_args()
    c = Checker(args.cli)
    check_plan_signs_like_sign(c)
    check_chunking(c)
    check_repeats_and_malformed(c)
    check_environment(c)
    check_bad_documents(c)
    check_seed_and_time(c)
    check_replay(c, args.data)
    print(f"{c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
