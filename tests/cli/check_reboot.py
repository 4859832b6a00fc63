#!/usr/bin/env python3
"""`cloudreboot reboot` against `cloudreboot-emulator`, over HTTP and HTTPS, with every fault class.

For each transport and fault class: start the emulator (its own keys, so the secrets are known),
reboot its whole fleet (four clouds) with `cloudreboot reboot --groups` and the keys from the
providers' environment variables, then compare the report with the emulator's ground truth
(GET /_emulator/state):
  - every instance given has exactly one outcome, and the counts add up;
  - no instance is reported rebooted that the emulator did not reboot;
  - no instance was rebooted twice;
  - the exit status is 0 exactly when every instance was rebooted, 3 otherwise;
  - the transcript holds no secret and no unredacted Authorization header;
  - `cloudreboot replay` of the transcript prints the same report with the same exit status;
and the fault's own expectation (no faults: all rebooted; stuck: some unknown; partial: some
failed; ...). Also: the ID form of the command line, --dry-run, --no-pacing, and a CA that is not
trusted (every exchange a connect failure, nothing rebooted). Prints a table per fault class.

Usage: check_reboot.py --cli PATH --emulator PATH [--only NAME] [--instances N]
"""
import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request

PROVIDERS = ("alibaba", "tencent", "huawei", "baidu")
ENV_NAMES = {
    "alibaba": ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
    "tencent": ("TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"),
    "huawei": ("HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK"),
    "baidu": ("BCE_ACCESS_KEY_ID", "BCE_SECRET_ACCESS_KEY"),
}
# The production host each group's http:// endpoint names (the emulator routes by Host).
HTTP_HOSTS = {
    "alibaba": "ecs.{region}.aliyuncs.com",
    "tencent": "cvm.tencentcloudapi.com",
    "huawei": "ecs.{region}.myhuaweicloud.com",
    "baidu": "bcc.{region}.baidubce.com",
}
# name: (emulator --faults, what the fault must show in the report)
FAULTS = {
    "none": ("", "all_rebooted"),
    "throttle": ("throttle=0.3", "all_rebooted"),
    "gateway": ("gateway=0.2", None),
    "drop-after-apply": ("drop-after-apply=0.3", None),
    "slow": ("slow=0.3", "all_rebooted"),
    "stuck": ("stuck=0.3", "some_unknown"),
    "partial": ("partial=0.3", "some_failed"),
    "skew": ("skew=1200", "all_rebooted"),
    "unknown-state": ("unknown-state=0.5", None),
}
POLICY = {"deadline": "12s", "poll": {"initial": "200ms", "interval": "300ms", "max": "1s"},
          "retry": {"attempts": 8, "base": "100ms", "cap": "1s"}, "in_flight": 8, "presume_after": "3s"}

failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message, flush=True)


class Emulator:
    def __init__(self, binary, workdir, https, faults, seed, instances, keys_file, extra=(), time_scale="100"):
        self.port_file = os.path.join(workdir, "port")
        self.ca = os.path.join(workdir, "ca.pem") if https else None
        if os.path.exists(self.port_file):
            os.remove(self.port_file)
        cmd = [binary, "--instances", str(instances), "--seed", str(seed), "--time-scale", time_scale,
               "--port-file", self.port_file, "--keys", keys_file, *extra]
        if faults:
            cmd += ["--faults", faults]
        if https:
            cmd += ["--https", "--ca-out", self.ca]
        self.process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for _ in range(300):
            if os.path.exists(self.port_file) and open(self.port_file).read().endswith("\n"):
                break
            if self.process.poll() is not None:
                raise RuntimeError("the emulator exited: " + self.process.stderr.read())
            time.sleep(0.02)
        self.address = open(self.port_file).read().split()[2]

    def control(self, method, path):
        request = urllib.request.Request("http://" + self.address + path, method=method)
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read())

    def stop(self):
        try:
            self.control("POST", "/_emulator/shutdown")
            self.process.wait(timeout=30)
        except Exception:
            self.process.kill()
            self.process.wait()


def make_keys(workdir):
    """Each provider's key pair, with a secret nobody else uses: the transcript is searched for it."""
    keys = {p: {"access_key_id": f"test-{p}-ak-" + secrets.token_hex(4),
                "access_key_secret": f"test-{p}-sk-" + secrets.token_hex(16)} for p in PROVIDERS}
    path = os.path.join(workdir, "keys.json")
    with open(path, "w") as out:
        json.dump({p: [k] for p, k in keys.items()}, out)
    env = dict(os.environ)
    for p, (id_name, secret_name) in ENV_NAMES.items():
        env[id_name] = keys[p]["access_key_id"]
        env[secret_name] = keys[p]["access_key_secret"]
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        env.pop(name, None)
    return keys, path, env


def groups_of(truth, https, seed):
    by_target = {}
    for one in truth["instances"]:
        key = (one["provider"], one["region"], one.get("project_id"))
        by_target.setdefault(key, []).append(one["id"])
    groups = []
    for (provider, region, project), ids in sorted(by_target.items()):
        group = {"provider": provider, "region": region, "instances": ids}
        if project:
            group["project_id"] = project
        if not https:
            group["endpoint"] = "http://" + HTTP_HOSTS[provider].format(region=region)
        groups.append(group)
    return {"groups": groups, "policy": POLICY, "seed": seed}


def run_cli(cli, args, env, timeout=120):
    done = subprocess.run([cli, *args], env=env, capture_output=True, text=True, timeout=timeout)
    return done.returncode, done.stdout, done.stderr


def compare(name, report, status, truth, given_ids):
    """The report against the ground truth; returns the table row."""
    applied = {(t["provider"], t["id"]): t["reboots_applied"] for t in truth["instances"]}
    outcomes = {}
    for one in report["instances"]:
        key = (one["provider"], one["id"])
        if key in outcomes:
            fail(f"{name}: {key} has two outcomes")
        outcomes[key] = one["outcome"]
        if one["outcome"] not in ("rebooted", "failed", "not_attempted", "unknown"):
            fail(f"{name}: {key} has outcome {one['outcome']!r}")
    if set(outcomes) != set(given_ids):
        fail(f"{name}: the report names {len(outcomes)} instances, {len(given_ids)} were given")
    counts = {k: sum(1 for v in outcomes.values() if v == k) for k in ("rebooted", "failed", "not_attempted", "unknown")}
    if counts != report["counts"]:
        fail(f"{name}: counts {report['counts']} do not add up to the outcomes {counts}")
    false_reboots = [k for k, v in outcomes.items() if v == "rebooted" and applied.get(k, 0) == 0]
    twice = [k for k, n in applied.items() if n > 1]
    applied_unreported = [k for k, v in outcomes.items() if v != "rebooted" and applied.get(k, 0) > 0]
    if false_reboots:
        fail(f"{name}: reported rebooted, never rebooted: {false_reboots[:5]}")
    if twice:
        fail(f"{name}: rebooted more than once: {twice[:5]}")
    want_status = 0 if counts["rebooted"] == len(given_ids) else 3
    if status != want_status:
        fail(f"{name}: exit status {status}, expected {want_status}")
    return counts, len(false_reboots), len(twice), len(applied_unreported)


def check_transcript(name, path, keys):
    text = open(path).read()
    lines = text.splitlines()
    if not lines or not lines[0].startswith('{"transcript":1'):
        fail(f"{name}: the transcript does not start with its header")
    for p, key in keys.items():
        if key["access_key_secret"] in text:
            fail(f"{name}: the transcript holds {p}'s secret")
    for line in lines[1:]:
        exchange = json.loads(line)
        for header, value in exchange["request"]["headers"].items():
            if header.lower() == "authorization" and value != "<redacted>":
                fail(f"{name}: exchange {exchange['exchange']} has an unredacted Authorization header")
    return len(lines) - 1


def reboot_case(cli, emulator_binary, workdir, keys, keys_file, env, https, fault, instances, seed):
    spec, expectation = FAULTS[fault]
    name = f"{'https' if https else 'http'} {fault}"
    emu = Emulator(emulator_binary, workdir, https, spec, seed, instances, keys_file)
    try:
        truth = emu.control("GET", "/_emulator/state")
        document = groups_of(truth, https, seed)
        groups_file = os.path.join(workdir, "groups.json")
        with open(groups_file, "w") as out:
            json.dump(document, out)
        transcript = os.path.join(workdir, "transcript.jsonl")
        args = ["reboot", "--groups", groups_file, "--connect-to", emu.address, "--transcript", transcript]
        if https:
            args += ["--cacert", emu.ca]
        started = time.monotonic()
        status, stdout, stderr = run_cli(cli, args, env)
        seconds = time.monotonic() - started
        truth = emu.control("GET", "/_emulator/state")
    finally:
        emu.stop()
    if status not in (0, 3):
        fail(f"{name}: exit status {status}: {stderr[-2000:]}")
        return None
    report = json.loads(stdout)
    given = {(g["provider"], i) for g in document["groups"] for i in g["instances"]}
    counts, false_reboots, twice, applied_unreported = compare(name, report, status, truth, given)
    if "finished in" not in stderr.splitlines()[-1]:
        fail(f"{name}: the last progress line is not the summary: {stderr.splitlines()[-1]!r}")
    exchanges = check_transcript(name, transcript, keys)
    replay_status, replay_out, replay_err = run_cli(cli, ["replay", transcript], env)
    replayed = replay_out == stdout and replay_status == status
    # The session's choices depend only on its state and the times it was told, so a transcript
    # replays to the same report and exit status: any other result is a failure.
    if not replayed:
        kept = os.path.join(tempfile.gettempdir(), f"cloudreboot-replay-{os.getpid()}-{fault}.jsonl")
        with open(kept, "w") as out:
            out.write(open(transcript).read())
        print(f"{name}: the transcript is kept in {kept}")
        fail(f"{name}: replay gave exit {replay_status} and {'the same' if replay_out == stdout else 'another'} "
             f"report: {replay_err[-500:]}")
    if expectation == "all_rebooted" and counts["rebooted"] != len(given):
        fail(f"{name}: expected every instance rebooted, got {counts}")
    if expectation == "some_unknown" and counts["unknown"] == 0:
        fail(f"{name}: expected some unknown (stuck), got {counts}")
    if expectation == "some_failed" and counts["failed"] == 0:
        fail(f"{name}: expected some failed (partial), got {counts}")
    return {"case": name, **counts, "false": false_reboots, "twice": twice, "applied_unreported": applied_unreported,
            "exchanges": exchanges, "replay": "same" if replayed else "DIFFERS", "seconds": round(seconds, 1)}


def extra_cases(cli, emulator_binary, workdir, keys, keys_file, env):
    rows = []
    emu = Emulator(emulator_binary, workdir, True, "", 5, 3, keys_file)
    try:
        truth = emu.control("GET", "/_emulator/state")
        tencent = [t["id"] for t in truth["instances"] if t["provider"] == "tencent"]
        # The ID form, keys from the environment, a hard stop.
        status, stdout, stderr = run_cli(cli, ["reboot", "--provider", "tencent", "--region", "ap-guangzhou", "--stop",
                                               "hard", "--deadline", "20s", "--connect-to", emu.address, "--cacert",
                                               emu.ca, *tencent], env)
        report = json.loads(stdout) if stdout else {"counts": {}}
        after = emu.control("GET", "/_emulator/state")
        applied = {t["id"]: t["reboots_applied"] for t in after["instances"]}
        if status != 0 or report["counts"].get("rebooted") != len(tencent) or any(applied[i] != 1 for i in tencent):
            fail(f"ID form: exit {status}, counts {report['counts']}: {stderr[-1000:]}")
        rows.append({"case": "https ID form (tencent, hard)", **report["counts"]})
        # A dry run reboots nothing and says so: every instance not_attempted, exit 3.
        alibaba = [t["id"] for t in truth["instances"] if t["provider"] == "alibaba"]
        status, stdout, stderr = run_cli(cli, ["reboot", "--provider", "alibaba", "--region", "cn-hangzhou", "--dry-run",
                                               "--connect-to", emu.address, "--cacert", emu.ca, *alibaba], env)
        report = json.loads(stdout) if stdout else {"counts": {}}
        after = emu.control("GET", "/_emulator/state")
        if status != 3 or report["counts"].get("not_attempted") != len(alibaba) or any(
                t["reboots_applied"] for t in after["instances"] if t["provider"] == "alibaba"):
            fail(f"dry run: exit {status}, counts {report['counts']}: {stderr[-1000:]}")
        rows.append({"case": "https --dry-run (alibaba)", **report["counts"]})
        # A CA that is not the emulator's: no exchange gets through, nothing is rebooted.
        other_ca = os.path.join(workdir, "other-ca.pem")
        with open(other_ca, "w") as out:
            out.write(open("/etc/ssl/certs/ca-certificates.crt").read() if os.path.exists(
                "/etc/ssl/certs/ca-certificates.crt") else "")
        baidu = [t["id"] for t in truth["instances"] if t["provider"] == "baidu"]
        status, stdout, stderr = run_cli(cli, ["reboot", "--provider", "baidu", "--region", "bj", "--deadline", "3s",
                                               "--connect-to", emu.address, "--cacert", other_ca, *baidu], env)
        report = json.loads(stdout) if stdout else {"counts": {}}
        after = emu.control("GET", "/_emulator/state")
        if status != 3 or report["counts"].get("rebooted") != 0 or "connect" not in stderr or any(
                t["reboots_applied"] for t in after["instances"] if t["provider"] == "baidu"):
            fail(f"untrusted CA: exit {status}, counts {report['counts']}: {stderr[-1000:]}")
        rows.append({"case": "https, untrusted CA (baidu)", **report["counts"]})
    finally:
        emu.stop()
    # Pacing off, many in flight: still one reboot each.
    emu = Emulator(emulator_binary, workdir, False, "", 9, 50, keys_file)
    try:
        truth = emu.control("GET", "/_emulator/state")
        document = groups_of(truth, False, 9)
        document["policy"] = dict(POLICY, in_flight=32)
        groups_file = os.path.join(workdir, "groups.json")
        with open(groups_file, "w") as out:
            json.dump(document, out)
        status, stdout, stderr = run_cli(cli, ["reboot", "--groups", groups_file, "--no-pacing", "--connect-to",
                                               emu.address], env)
        truth = emu.control("GET", "/_emulator/state")
    finally:
        emu.stop()
    report = json.loads(stdout) if stdout else {"counts": {}, "instances": []}
    given = {(g["provider"], i) for g in document["groups"] for i in g["instances"]}
    if status not in (0, 3):
        fail(f"--no-pacing: exit {status}: {stderr[-1000:]}")
    else:
        counts, false_reboots, twice, _ = compare("http --no-pacing", report, status, truth, given)
        if counts["rebooted"] != len(given):
            fail(f"--no-pacing: expected every instance rebooted, got {counts}")
        rows.append({"case": "http --no-pacing, 200 instances", **counts, "false": false_reboots, "twice": twice})
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--only", help="run only the cases whose name contains this")
    parser.add_argument("--instances", type=int, default=8, help="instances per provider")
    options = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="cloudreboot-reboot-") as workdir:
        keys, keys_file, env = make_keys(workdir)
        seed = 100
        for https in (False, True):
            for fault in FAULTS:
                seed += 1
                name = f"{'https' if https else 'http'} {fault}"
                if options.only and options.only not in name:
                    continue
                row = reboot_case(options.cli, options.emulator, workdir, keys, keys_file, env, https, fault,
                                  options.instances, seed)
                if row:
                    rows.append(row)
                    print(f"{name}: {row}", flush=True)
        if not options.only or options.only in "extra":
            rows += extra_cases(options.cli, options.emulator, workdir, keys, keys_file, env)
    columns = ["case", "rebooted", "failed", "not_attempted", "unknown", "false", "twice", "applied_unreported",
               "exchanges", "replay", "seconds"]
    print()
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row.get(c, "")) for c in columns) + " |")
    print("\nfalse: reported rebooted, not rebooted by the emulator; twice: rebooted more than once; "
          "applied_unreported: rebooted by the emulator, reported otherwise (a lost answer ends unknown)")
    if failures:
        print(f"\n{len(failures)} failure(s)")
        return 1
    print("\nall reboot checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
