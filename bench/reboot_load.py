#!/usr/bin/env python3
"""Instances rebooted per second through `cloudreboot reboot` against `cloudreboot-emulator` on
loopback (issue 15, item 6), with the CPU time of each process from wait4(2)'s rusage.

The emulator runs without faults (it has no pacing of its own) at --time-scale 100; the CLI runs
with --no-pacing (the providers' rate limits are the session's, not the emulator's) and 64 requests
in flight, over plain HTTP and over HTTPS. A row fails (exit 1) when an instance has no outcome, is
reported rebooted without a reboot, or was rebooted twice. Progress lines go to a file (one per
answer), as on a terminal-less run.

Usage: bench/reboot_load.py --cli build/demo/cloudreboot --emulator build/demo/emulator/cloudreboot-emulator
                            [--total 1000 10000] [--runs 3]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

KEYS = {"alibaba": ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
        "tencent": ("TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"),
        "huawei": ("HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK"),
        "baidu": ("BCE_ACCESS_KEY_ID", "BCE_SECRET_ACCESS_KEY")}


def control(address, method, path):
    with urllib.request.urlopen(urllib.request.Request(f"http://{address}{path}", method=method), timeout=60) as a:
        return json.loads(a.read())


def cpu_seconds(usage):
    return usage.ru_utime + usage.ru_stime


def one_run(cli, emulator_binary, total, https, work, seed):
    port_file, ca = os.path.join(work, "port"), os.path.join(work, "ca.pem")
    if os.path.exists(port_file):
        os.remove(port_file)
    cmd = [emulator_binary, "--instances", str(total // 4), "--seed", str(seed), "--time-scale", "100",
           "--port-file", port_file]
    if https:
        cmd += ["--https", "--ca-out", ca]
    emulator = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not (os.path.exists(port_file) and open(port_file).read().endswith("\n")):
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
        if not https:
            host = {"alibaba": f"ecs.{region}.aliyuncs.com", "tencent": "cvm.tencentcloudapi.com",
                    "huawei": f"ecs.{region}.myhuaweicloud.com", "baidu": f"bcc.{region}.baidubce.com"}[provider]
            group["endpoint"] = "http://" + host
        groups.append(group)
    document = {"groups": groups, "seed": seed,
                "policy": {"deadline": "10m", "poll": {"initial": "200ms", "interval": "300ms", "max": "1s"},
                           "in_flight": 64, "presume_after": "2s"}}
    groups_file = os.path.join(work, "groups.json")
    with open(groups_file, "w") as out:
        json.dump(document, out)
    env = dict(os.environ)
    for provider, (key_id, secret) in KEYS.items():
        env[key_id], env[secret] = f"emulator-{provider}-ak", f"emulator-{provider}-sk"
    args = [cli, "reboot", "--groups", groups_file, "--no-pacing", "--connect-to", address]
    if https:
        args += ["--cacert", ca]

    with open(os.path.join(work, "report.json"), "w") as out, open(os.path.join(work, "progress.txt"), "w") as err:
        started = time.monotonic()
        cli_process = subprocess.Popen(args, env=env, stdout=out, stderr=err)
        _, status, cli_usage = os.wait4(cli_process.pid, 0)
        seconds = time.monotonic() - started
    truth = control(address, "GET", "/_emulator/state")
    control(address, "POST", "/_emulator/shutdown")
    _, _, emulator_usage = os.wait4(emulator.pid, 0)
    report = json.load(open(os.path.join(work, "report.json")))
    applied = {(t["provider"], t["id"]): t["reboots_applied"] for t in truth["instances"]}
    outcomes = {(r["provider"], r["id"]): r["outcome"] for r in report["instances"]}
    lost = len(set(applied) - set(outcomes))
    false_reboots = sum(1 for k, v in outcomes.items() if v == "rebooted" and applied[k] == 0)
    twice = sum(1 for n in applied.values() if n > 1)
    rebooted = report["counts"]["rebooted"]
    return {"exit": os.waitstatus_to_exitcode(status), "seconds": seconds, "rebooted": rebooted, "lost": lost,
            "false": false_reboots, "twice": twice, "cli_cpu": cpu_seconds(cli_usage),
            "emulator_cpu": cpu_seconds(emulator_usage), "counts": report["counts"]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--total", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    print("| instances | transport | rebooted/s (runs) | median rebooted/s | wall s | CLI CPU s | emulator CPU s "
          "| CLI CPU µs/instance | emulator CPU µs/instance | lost / false / twice |")
    print("|---:|---|---|---:|---:|---:|---:|---:|---:|---|")
    bad = False
    for total in options.total:
        for https in (False, True):
            runs = []
            with tempfile.TemporaryDirectory(prefix="cloudreboot-load-") as work:
                for run in range(options.runs):
                    runs.append(one_run(options.cli, options.emulator, total, https, work, 7 + run))
            for r in runs:
                if r["lost"] or r["false"] or r["twice"] or r["rebooted"] != total:
                    bad = True
                    print(f"FAIL: {total} {'https' if https else 'http'}: {r}", file=sys.stderr)
            rates = [r["rebooted"] / r["seconds"] for r in runs]
            middle = sorted(runs, key=lambda r: r["rebooted"] / r["seconds"])[len(runs) // 2]
            print(f"| {total} | {'https' if https else 'http'} | {', '.join(f'{x:.0f}' for x in rates)} | "
                  f"{statistics.median(rates):.0f} | {middle['seconds']:.1f} | {middle['cli_cpu']:.2f} | "
                  f"{middle['emulator_cpu']:.2f} | {middle['cli_cpu'] / total * 1e6:.0f} | "
                  f"{middle['emulator_cpu'] / total * 1e6:.0f} | "
                  f"{sum(r['lost'] for r in runs)} / {sum(r['false'] for r in runs)} / {sum(r['twice'] for r in runs)} |",
                  flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
