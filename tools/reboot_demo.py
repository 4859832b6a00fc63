#!/usr/bin/env python3
"""The README's main job after the build (tools/demo): start cloudreboot-emulator with every fault
switched on, reboot its whole fleet (four clouds) with `cloudreboot reboot --groups`, print the
progress and the report's summary, compare the report with the emulator's ground truth, stop the
emulator. Exit 0 when the report and the ground truth agree (whatever the faults did), 1 otherwise.

Usage: reboot_demo.py --cli PATH --emulator PATH [--instances N] [--seed S]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

# Every fault class at a rate that shows it in a few hundred instances. skew=400: the clock is
# 6 min 40 s ahead, past Tencent's 5-minute window (rejected, corrected from Date, signed again).
FAULTS = "throttle=0.1,gateway=0.05,drop-after-apply=0.05,slow=0.1,stuck=0.02,partial=0.03,skew=400,unknown-state=0.1"
KEY_VARIABLES = {
    "alibaba": ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
    "tencent": ("TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"),
    "huawei": ("HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK"),
    "baidu": ("BCE_ACCESS_KEY_ID", "BCE_SECRET_ACCESS_KEY"),
}


def control(address, method, path):
    request = urllib.request.Request(f"http://{address}{path}", method=method)
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--instances", type=int, default=75, help="instances per cloud (default 75: 300 in all)")
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()
    work = tempfile.mkdtemp(prefix="cloudreboot-demo-")
    port_file, ca = os.path.join(work, "port"), os.path.join(work, "ca.pem")
    # The emulator's time scale 30: a reboot takes about a second, a slow one ten.
    emulator = subprocess.Popen([options.emulator, "--instances", str(options.instances), "--seed", str(options.seed),
                                 "--time-scale", "30", "--faults", FAULTS, "--https", "--ca-out", ca,
                                 "--port-file", port_file], stdout=subprocess.DEVNULL)
    try:
        for _ in range(500):
            if os.path.exists(port_file) and open(port_file).read().endswith("\n"):
                break
            if emulator.poll() is not None:
                print("cloudreboot-emulator did not start", file=sys.stderr)
                return 1
            time.sleep(0.02)
        address = open(port_file).read().split()[2]
        truth = control(address, "GET", "/_emulator/state")
        by_target = {}
        for one in truth["instances"]:
            by_target.setdefault((one["provider"], one["region"], one["project_id"]), []).append(one["id"])
        groups = []
        for (provider, region, project), ids in sorted(by_target.items()):
            group = {"provider": provider, "region": region, "instances": ids}
            if project:
                group["project_id"] = project
            groups.append(group)
        document = {"groups": groups, "seed": options.seed,
                    "policy": {"deadline": "30s", "poll": {"initial": "1s", "interval": "1s", "max": "2s"},
                               "retry": {"attempts": 6, "base": "200ms", "cap": "2s"}, "in_flight": 16,
                               "presume_after": "10s"}}
        groups_file = os.path.join(work, "groups.json")
        with open(groups_file, "w") as out:
            json.dump(document, out, indent=1)
        # The emulator's own default keys, as the providers' environment variables.
        env = dict(os.environ)
        for provider, (key_id, secret) in KEY_VARIABLES.items():
            env[key_id], env[secret] = f"emulator-{provider}-ak", f"emulator-{provider}-sk"
        command = [options.cli, "reboot", "--groups", groups_file, "--connect-to", address, "--cacert", ca,
                   "--transcript", os.path.join(work, "transcript.jsonl")]
        print(f"$ cloudreboot reboot --groups groups.json --connect-to {address} --cacert ca.pem   "
              f"# {len(truth['instances'])} instances, 4 clouds, faults {FAULTS}", flush=True)
        started = time.monotonic()
        done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True)
        seconds = time.monotonic() - started
        with open(os.path.join(work, "report.json"), "w") as out:
            out.write(done.stdout)
        if done.returncode not in (0, 3):
            print(f"cloudreboot reboot failed (exit {done.returncode})", file=sys.stderr)
            return 1
        report = json.loads(done.stdout)
        truth = control(address, "GET", "/_emulator/state")
    finally:
        try:
            control(address, "POST", "/_emulator/shutdown")
            emulator.wait(timeout=30)
        except Exception:
            emulator.kill()
            emulator.wait()

    applied = {(t["provider"], t["id"]): t["reboots_applied"] for t in truth["instances"]}
    outcome = {(r["provider"], r["id"]): r["outcome"] for r in report["instances"]}
    false_reboots = [k for k, v in outcome.items() if v == "rebooted" and applied[k] != 1]
    twice = [k for k, n in applied.items() if n > 1]
    missing = set(applied) - set(outcome)
    print(f"\nexit status {done.returncode} after {seconds:.1f} s; report and transcript in {work}")
    print("report:       " + ", ".join(f"{k} {v}" for k, v in report["counts"].items()))
    by_provider = {}
    for (provider, _), v in outcome.items():
        by_provider.setdefault(provider, {}).setdefault(v, 0)
        by_provider[provider][v] += 1
    for provider, counts in sorted(by_provider.items()):
        print(f"  {provider:8} " + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())))
    rebooted_once = sum(1 for n in applied.values() if n == 1)
    print(f"ground truth: {rebooted_once} instances rebooted once, {len(twice)} twice or more, "
          f"{sum(1 for n in applied.values() if n == 0)} not rebooted")
    ok = not false_reboots and not twice and not missing
    print(f"check:        every instance has one outcome: {'yes' if not missing else 'NO'}; "
          f"every one reported rebooted was rebooted exactly once: {'yes' if not false_reboots else 'NO'}; "
          f"none rebooted twice: {'yes' if not twice else 'NO'}")
    unreported = [k for k, v in outcome.items() if v != "rebooted" and applied[k] > 0]
    if unreported:
        print(f"              {len(unreported)} rebooted but not reported rebooted (a lost answer or a stuck "
              f"instance: reported unknown, never claimed)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
