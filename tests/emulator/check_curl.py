#!/usr/bin/env python3
"""`cloudreboot curl` puts exactly the signed request on the wire (issue 15, item 5).

For the SDK-generated cases of tests/data (at most --per-scheme of each scheme, spread evenly; 0:
all), the command `cloudreboot curl` prints is run by the real curl, sent with `--connect-to` and
the throwaway CA as `--cacert` to an emulator started at the case's time holding the case's key.
The request the emulator logs (--log) is compared with what `cloudreboot sign` prints for the same
case: method, URL and body equal; every header of the signed request there with its value byte
for byte; nothing else but curl's own User-Agent and Accept, a Content-Length equal to the body's
length, and a Host equal to the URL's authority when the signed request has none. Names are
compared without case, HTTP's rule (curl writes "Host" whatever spelling it is given). The
emulator must accept the request. A control runs an empty-body Alibaba ACS3 POST the way the
command was printed before (`--data-binary ''`) and must see the difference (curl's form
Content-Type) and the emulator's refusal.

usage: check_curl.py --emulator BIN --cli BIN --data tests/data [--per-scheme N]
Prints the counts per scheme; exit status 1 when a request differs."""

import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Cli, Emulator, routable_host, sample_per_scheme, sdk_cases, url_host  # noqa: E402

# Headers curl adds of its own: none of them is signed by any of the schemes.
CURL_OWN = {"user-agent", "accept"}


def curl_command(cli, case):
    """The command `cloudreboot curl` prints for the case, or None when it refuses (a request a
    command line cannot carry: NUL or invalid UTF-8)."""
    done = subprocess.run([cli, "curl", "-"], input=json.dumps(case), capture_output=True, text=True)
    if done.returncode != 0:
        return None
    assert done.stdout.endswith("\n") and done.stdout.count("\n") == 1, done.stdout
    return done.stdout.rstrip("\n")


def differences(signed, logged):
    """Where the request on the wire (the emulator's log line) differs from `sign`'s. Header names
    are compared without case, as HTTP defines them (curl writes a given "host" as "Host"); values
    byte for byte."""
    out = []
    if logged["method"] != signed["method"]:
        out.append(("method", signed["method"], logged["method"]))
    if logged["url"] != signed["url"]:
        out.append(("url", signed["url"], logged["url"]))
    if logged["body"] != signed.get("body", ""):
        out.append(("body", signed.get("body", ""), logged["body"]))
    wire = {name.lower(): value for name, value in logged["headers"].items()}
    for name, value in signed["headers"].items():
        got = wire.pop(name.lower(), None)
        if got != value:
            out.append((f"header {name}", value, got))
    for name, value in wire.items():
        if name in CURL_OWN:
            continue
        if name == "content-length" and value == str(len(logged["body"].encode())):
            continue
        if name == "host" and value == urllib.parse.urlsplit(signed["url"]).netloc:
            continue  # the URL's authority, which every HTTP/1.1 request carries
        out.append((f"header {name}", None, value))
    return out


def run_on_the_wire(emulator, command, case, provider, work):
    """Runs `command` against an emulator holding the case's key at its time; the log line."""
    keys_file = os.path.join(work, "keys.json")
    with open(keys_file, "w") as f:
        json.dump({provider: [case["credentials"]]}, f)
    with Emulator(emulator, "--start-time", case["time"], "--keys", keys_file, "--threads", "1", https=True,
                  workdir=work) as emu:
        wire = f"{command} -o /dev/null --connect-to ::127.0.0.1:{emu.port} --cacert {emu.ca}"
        done = subprocess.run(["sh", "-c", wire], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, (command, done.returncode, done.stderr)
        log = emu.log()
    assert len(log) == 1, log
    return log[0]


def check_one(args, cli, entry):
    scheme, name, provider, case, _, _ = entry
    command = curl_command(args.cli, case)
    if command is None:
        return scheme, name, "refused", []
    signed = cli.sign(case)
    work = tempfile.mkdtemp(prefix="curl-")
    try:
        line = run_on_the_wire(args.emulator, command, case, provider, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    found = differences(signed, line)
    if line["verdict"] != "accepted":
        found.append(("verdict", "accepted", f"{line['verdict']} {line['status']} {line['code']}"))
    return scheme, name, "same" if not found else "differs", found


def control(args, cli, entries):
    """The command as printed before the fix, for an empty-body ACS3 POST: the check must see
    curl's Content-Type, and the emulator must refuse it."""
    for scheme, name, provider, case, _, _ in entries:
        if scheme != "alibaba/acs3-hmac-sha256":
            continue
        signed = cli.sign(case)
        if signed["method"] != "POST" or signed.get("body") or not routable_host(url_host(signed["url"])):
            continue
        command = curl_command(args.cli, case)
        assert command is not None and command.endswith(" -H 'Content-Type:' --data-raw ''"), command
        before = command[:-len(" -H 'Content-Type:' --data-raw ''")] + " --data-binary ''"
        work = tempfile.mkdtemp(prefix="curl-control-")
        try:
            line = run_on_the_wire(args.emulator, before, case, provider, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        found = differences(signed, line)
        assert ("header content-type", None, "application/x-www-form-urlencoded") in found, found
        assert (line["verdict"], line["code"]) == ("rejected", "IncompleteSignature"), line
        print(f"    control ({name}): --data-binary '' adds Content-Type: application/x-www-form-urlencoded, "
              f"refused with {line['code']}")
        return
    raise AssertionError("no empty-body ACS3 POST case for the control")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--cli", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--per-scheme", type=int, default=0,
                        help="run at most this many cases per scheme, spread evenly (0: all)")
    args = parser.parse_args()
    if shutil.which("curl") is None:
        print("curl is not installed (Debian package curl: tools/install-deps test)", file=sys.stderr)
        return 1
    cli = Cli(args.cli)
    entries = sdk_cases(args.data)
    routable = [e for e in entries if routable_host(url_host(e[4]["url"] if e[4] else cli.sign(e[3])["url"]))]
    chosen = sample_per_scheme(routable, args.per_scheme)
    counts = {}
    failures = []
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for scheme, name, outcome, found in pool.map(lambda e: check_one(args, cli, e), chosen):
            counts.setdefault(scheme, {"same": 0, "differs": 0, "refused": 0})[outcome] += 1
            if found:
                failures.append((scheme, name, found))
    print(f"{len(chosen)} of {len(routable)} SDK-generated cases the emulator routes ({len(entries) - len(routable)} "
          "address other hosts)" + (f", at most {args.per_scheme} per scheme" if args.per_scheme else ""))
    for scheme, count in sorted(counts.items()):
        print(f"    {scheme}: {count['same']} sent exactly as signed and accepted, {count['differs']} differ"
              + (f", {count['refused']} not printable as a command (NUL or invalid UTF-8)" if count["refused"] else ""))
    control(args, cli, entries)
    for scheme, name, found in failures[:10]:
        print(f"DIFFERS {scheme} {name}: {found}")
    print("ok" if not failures else f"{len(failures)} requests differ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
