#!/usr/bin/env python3
"""A fleet driver of examples/ (fleet_curl_multi, fleet_beast_async, fleet_httplib_sync) against
cloudreboot-emulator, end to end, its report compared with the emulator's ground truth.

usage: check_examples.py --example BIN --emulator BIN --cli BIN [--only NAME] [--instances N]

- faults: ~50 instances over the four clouds, HTTP and HTTPS, every signature scheme family, with
  throttling, gateway pages, dropped connections after a reboot was applied, slow reboots, partial
  refusals, a clock 400 s off and state names the library does not know. Every instance has exactly
  one outcome; none is reported rebooted that the emulator did not reboot, none was rebooted twice,
  failed and not_attempted ones were not rebooted at all; the exit status follows the report; the
  emulator received exactly the transcript's requests (only transport headers added); every dropped
  connection was fed to the session as a reset; no secret is in the transcript or the output; the
  transcript replays (`cloudreboot replay`, fleet::replay) to the same report and exit status.
- timeout: a server that reads requests and never answers: each reboot fails as a timeout and is
  never sent again.
- refused: nothing listens: every failure is `connect`, nothing was sent, the reboots are retried
  and end failed.
- untrusted: HTTPS against a CA that did not sign the emulator's certificate: nothing reaches HTTP.
- proxy (curl, httplib, beast): every exchange goes through an HTTP proxy (CONNECT tunnels, or
  absolute-form requests for plain HTTP), and the reboots all complete.
Ends with "N passed, M failed"."""

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emulator"))
from harness import Emulator  # noqa: E402

ARGS = None
TESTS = []

# What each stack adds to the signed request by itself (names, lower case): the body's length,
# Host when the scheme did not sign one, and cpp-httplib's defaults it cannot be told to leave out.
TRANSPORT_HEADERS = {
    "curl": {"content-length", "host"},
    "beast": {"content-length", "host"},
    "httplib": {"content-length", "host", "accept", "user-agent", "connection", "accept-encoding"},
}

ENVIRONMENT_NAMES = {
    "alibaba": ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
    "tencent": ("TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"),
    "huawei": ("HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK"),
    "baidu": ("BCE_ACCESS_KEY_ID", "BCE_SECRET_ACCESS_KEY"),
}

REBOOT_MARKERS = ("RebootInstances", "RebootInstance&", "/cloudservers/action", "?reboot")


def test(function):
    TESTS.append(function)
    return function


def stack():
    name = os.path.basename(ARGS.example)
    for known in TRANSPORT_HEADERS:
        if known in name:
            return known
    raise AssertionError(f"which HTTP stack is {name}?")


class Keys:
    """Fresh keys for one run: the emulator's keys file, the environment the driver reads, and the
    secrets that must appear nowhere."""

    def __init__(self, workdir):
        self.pairs = {p: (f"ak-{p}-{secrets.token_hex(4)}", f"sk-{p}-{secrets.token_hex(16)}") for p in ENVIRONMENT_NAMES}
        self.file = os.path.join(workdir, "keys.json")
        with open(self.file, "w") as f:
            json.dump({p: [{"access_key_id": ak, "access_key_secret": sk}] for p, (ak, sk) in self.pairs.items()}, f)

    def environment(self):
        env = {k: v for k, v in os.environ.items() if not any(k in names for names in ENVIRONMENT_NAMES.values())}
        for provider, (id_name, secret_name) in ENVIRONMENT_NAMES.items():
            env[id_name], env[secret_name] = self.pairs[provider]
        return env

    def secrets(self):
        return [sk for _, sk in self.pairs.values()]


def run_example(groups, workdir, connect_to, cacert=None, env=None, proxy=None, timeout_ms=5000):
    groups_file = os.path.join(workdir, "groups.json")
    with open(groups_file, "w") as f:
        json.dump(groups, f)
    transcript = os.path.join(workdir, "transcript.jsonl")
    args = [ARGS.example, "--groups", groups_file, "--connect-to", connect_to, "--timeout", str(timeout_ms),
            "--transcript", transcript]
    if cacert:
        args += ["--cacert", cacert]
    if proxy:
        args += ["--proxy", proxy]
    started = time.monotonic()
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    for report in ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"):
        assert report not in done.stderr, f"the example reported: {done.stderr[-4000:]}"
    assert done.returncode in (0, 3), f"exit {done.returncode}: {done.stderr[-2000:]}"
    report = json.loads(done.stdout)
    with open(transcript) as f:
        # The header and the exchanges.
        lines = [json.loads(line) for line in f if line.strip()]
        lines = lines[:1] + [line for line in lines[1:] if "exchange" in line]
    print(f"    {os.path.basename(ARGS.example)}: exit {done.returncode} in {time.monotonic() - started:.1f} s, "
          f"{len(lines) - 1} exchanges, counts {report['counts']}")
    return done, report, lines, transcript


def groups_of(emu, policy, layout):
    """Groups over the emulator's generated fleet. layout: per provider, a list of
    (count, extra group members)."""
    truth = emu.state()["instances"]
    out = []
    for provider, parts in layout.items():
        mine = [i for i in truth if i["provider"] == provider]
        start = 0
        for count, extra in parts:
            chosen = mine[start:start + count]
            start += count
            group = {"provider": provider, "region": chosen[0]["region"], "instances": [i["id"] for i in chosen]}
            if chosen[0]["project_id"]:
                group["project_id"] = chosen[0]["project_id"]
            group.update(extra)
            out.append(group)
    return {"groups": out, "policy": policy, "seed": 11}


def check_outcomes(groups, report, done):
    given = [(g["provider"], i) for g in groups["groups"] for i in g["instances"]]
    reported = [(i["provider"], i["id"]) for i in report["instances"]]
    assert sorted(reported) == sorted(given), "not exactly one outcome per instance given"
    outcomes = ("rebooted", "failed", "not_attempted", "unknown")
    counts = {o: sum(1 for i in report["instances"] if i["outcome"] == o) for o in outcomes}
    assert counts == report["counts"], (counts, report["counts"])
    expected_exit = 0 if counts["rebooted"] == len(given) else 3
    assert done.returncode == expected_exit, f"exit {done.returncode}, the report says {expected_exit}"


def check_against_truth(report, truth):
    by_id = {(i["provider"], i["id"]): i for i in truth["instances"]}
    for one in report["instances"]:
        applied = by_id[(one["provider"], one["id"])]["reboots_applied"]
        where = f'{one["provider"]} {one["id"]} ({one["outcome"]}, evidence {one["evidence"]})'
        assert applied <= 1, f"{where} was rebooted {applied} times"
        if one["outcome"] == "rebooted":
            assert applied == 1, f"{where} is reported rebooted, the emulator never rebooted it"
        if one["outcome"] in ("failed", "not_attempted"):
            assert applied == 0, f"{where} is reported {one['outcome']}, yet the emulator rebooted it"


def check_no_secret(keys, done, transcript):
    with open(transcript) as f:
        text = f.read()
    for secret in keys.secrets():
        for where, content in (("transcript", text), ("stdout", done.stdout), ("stderr", done.stderr)):
            assert secret not in content, f"a secret key is in the {where}"


def check_replay(report, transcript, example_exit):
    done = subprocess.run([ARGS.cli, "replay", transcript], capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 3), f"the transcript does not replay: {done.stderr[-2000:]}"
    assert json.loads(done.stdout) == report, "the transcript replays to another report"
    assert done.returncode == example_exit, f"replay exits {done.returncode}, the example {example_exit}"


REDACTED = ("<redacted>", "%3Credacted%3E")


def same_but_redacted(sent, received, separator):
    """Whether a transcript's query or form body is the one received, its redacted parameters
    (Signature, SecurityToken, Token) aside."""
    if sent == received:
        return True
    sent_items, received_items = sent.split(separator), received.split(separator)
    if len(sent_items) != len(received_items):
        return False
    for mine, theirs in zip(sent_items, received_items):
        name, _, value = mine.partition("=")
        if mine != theirs and not (value in REDACTED and theirs.partition("=")[0] == name):
            return False
    return True


def same_request(sent, entry):
    sent_url, _, sent_query = sent["url"].partition("?")
    url, _, query = entry["url"].partition("?")
    return (sent["method"] == entry["method"] and sent_url == url and same_but_redacted(sent_query, query, "&")
            and same_but_redacted(sent["body"], entry["body"], "&"))


def header_map(headers):
    return {name.lower(): value for name, value in headers.items()}


def check_wire(lines, log):
    """The emulator received exactly the requests of the transcript: method, URL and body equal,
    every header the library wrote present with its value (redacted ones: present), and nothing else
    but the stack's transport headers."""
    sent = [line["request"] for line in lines[1:]]
    unmatched = list(sent)
    allowed = TRANSPORT_HEADERS[stack()]
    for entry in log:
        received = header_map(entry["headers"])
        match = None
        for candidate in unmatched:
            if not same_request(candidate, entry):
                continue
            wanted = header_map(candidate["headers"])
            if all(name in received and (value in REDACTED or received[name] == value) for name, value in wanted.items()):
                match = candidate
                break
        assert match is not None, f"the emulator received a request the session did not send: {entry['method']} {entry['url']}"
        unmatched.remove(match)
        extra = set(received) - set(header_map(match["headers"])) - allowed
        assert not extra, f"{stack()} added headers {sorted(extra)} to {entry['method']} {entry['url']}"
    # Exchanges the emulator never logged: those it did not answer yet at the deadline, and none else.
    in_flight_at_end = [line["request"] for line in lines[1:] if line["received_at"] is None]
    assert len(unmatched) <= len(in_flight_at_end), f"{len(unmatched)} requests never reached the emulator"


def check_transport_failures(lines, log):
    failures = [line["transport_failure"] for line in lines[1:] if line["transport_failure"]]
    dropped = sum(1 for entry in log if entry["status"] is None)
    assert failures.count("connect") == 0, "a connect failure with the emulator up"
    assert failures.count("timeout") == 0, "a timeout although every answer is immediate"
    assert failures.count("reset") == dropped, f"{dropped} connections dropped, {failures.count('reset')} resets fed"
    return dropped


@test
def faults():
    workdir = tempfile.mkdtemp(prefix="examples-faults-")
    keys = Keys(workdir)
    options = ["--instances", str(ARGS.instances), "--seed", "5", "--time-scale", "40", "--keys", keys.file,
               "--faults", "throttle=0.1,gateway=0.05,drop-after-apply=0.3,slow=0.1,partial=0.1,skew=400,unknown-state=0.2"]
    with Emulator(ARGS.emulator, *options, https=True, workdir=workdir) as emu:
        n = ARGS.instances
        a, t, h = n // 3, n // 2, n // 2
        layout = {
            "alibaba": [(a, {}), (a, {"signature": "rpc-hmac-sha1", "stop": "hard"}),
                        (n - 2 * a, {"endpoint": "http://ecs.cn-hangzhou.aliyuncs.com"})],
            "tencent": [(t, {"stop": "soft-then-hard"}),
                        (n - t, {"signature": "hmac-sha256", "endpoint": "http://cvm.tencentcloudapi.com"})],
            "huawei": [(h, {}), (n - h, {"stop": "hard", "endpoint": "http://ecs.cn-north-4.myhuaweicloud.com"})],
            "baidu": [(n, {"credentials": {"access_key_id": keys.pairs["baidu"][0],
                                           "access_key_secret": keys.pairs["baidu"][1]}})],
        }
        policy = {"deadline": "90s", "poll": {"initial": "300ms", "interval": "500ms", "max": "1s"},
                  "retry": {"attempts": 6, "base": "200ms", "cap": "1s"}, "presume_after": "8s"}
        groups = groups_of(emu, policy, layout)
        env = keys.environment()
        env.pop("BCE_ACCESS_KEY_ID")  # the Baidu group carries its own keys
        env.pop("BCE_SECRET_ACCESS_KEY")
        done, report, lines, transcript = run_example(groups, workdir, f"127.0.0.1:{emu.port}", emu.ca, env)
        truth = emu.state()
        log = emu.log()
    check_outcomes(groups, report, done)
    check_against_truth(report, truth)
    check_no_secret(keys, done, transcript)
    check_wire(lines, log)
    dropped = check_transport_failures(lines, log)
    check_replay(report, transcript, done.returncode)
    # The faults happened (else this run proved less than it claims).
    codes = [entry["code"] for entry in log]
    assert dropped > 0, "no connection was dropped"
    assert any(c in ("Throttling.User", "RequestLimitExceeded", "APIGW.0308", "RequestRateLimitExceeded") for c in codes)
    assert any(entry["status"] in (502, 503, 504) and entry["code"] is None for entry in log), "no gateway page"
    assert any(c == "AuthFailure.SignatureExpire" for c in codes), "the skewed clock was never refused"
    assert abs(report["clock_offset_seconds"] - 400) <= 2, report["clock_offset_seconds"]
    assert report["counts"]["rebooted"] >= len(report["instances"]) // 2, report["counts"]
    print(f"    {len(log)} requests, {dropped} dropped after the reboot was applied")


class SilentServer:
    """Accepts connections and reads requests, never answers. Counts the reboot requests."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.heads = []
        self.open = []
        self.lock = threading.Lock()
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.open.append(conn)
            threading.Thread(target=self.read, args=(conn,), daemon=True).start()

    def read(self, conn):
        data = b""
        while b"\r\n\r\n" not in data:
            try:
                chunk = conn.recv(65536)
            except OSError:
                return
            if not chunk:
                return
            data += chunk
        with self.lock:
            self.heads.append(data.split(b"\r\n\r\n", 1)[0].decode("latin-1"))

    def reboots(self):
        with self.lock:
            return [h for h in self.heads if any(m in h for m in REBOOT_MARKERS)]

    def close(self):
        self.sock.close()
        for conn in self.open:
            conn.close()


def plain_groups(policy):
    """One group per cloud over plain HTTP, ids in each provider's syntax (no emulator behind)."""
    return {"groups": [
        {"provider": "alibaba", "region": "cn-hangzhou", "endpoint": "http://ecs.cn-hangzhou.aliyuncs.com",
         "instances": ["i-bp67acfmxazb4ph00001", "i-bp67acfmxazb4ph00002"]},
        {"provider": "tencent", "region": "ap-guangzhou", "endpoint": "http://cvm.tencentcloudapi.com",
         "instances": ["ins-r8hr2upy", "ins-5d8a23rs"]},
        {"provider": "huawei", "region": "cn-north-4", "project_id": "77b6a44cba5143ab91d13ab9a8ff44fd",
         "endpoint": "http://ecs.cn-north-4.myhuaweicloud.com", "instances": ["616fb98f-46ca-475e-917e-2563e5a8cd19"]},
        {"provider": "baidu", "region": "bj", "endpoint": "http://bcc.bj.baidubce.com", "instances": ["i-YufwpQAe"]},
    ], "policy": policy, "seed": 3}


@test
def timeout():
    workdir = tempfile.mkdtemp(prefix="examples-timeout-")
    keys = Keys(workdir)
    server = SilentServer()
    try:
        policy = {"deadline": "4s", "preflight": False, "in_flight": 8, "presume_after": "0ms",
                  "poll": {"initial": "200ms", "interval": "200ms", "max": "200ms"}}
        groups = plain_groups(policy)
        done, report, lines, _ = run_example(groups, workdir, f"127.0.0.1:{server.port}", env=keys.environment(),
                                             timeout_ms=700)
        reboots = server.reboots()
    finally:
        server.close()
    check_outcomes(groups, report, done)
    failures = [line["transport_failure"] for line in lines[1:] if line["transport_failure"]]
    assert "timeout" in failures and "connect" not in failures and "reset" not in failures, failures
    for one in report["instances"]:
        assert one["outcome"] == "unknown" and one["attempts"] == 1, one
    # One reboot call per group (the two Alibaba and Tencent ids share theirs), never a second.
    assert len(reboots) == 4, f"{len(reboots)} reboot requests reached the server: {[h.splitlines()[0] for h in reboots]}"


@test
def refused():
    workdir = tempfile.mkdtemp(prefix="examples-refused-")
    keys = Keys(workdir)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
    try:
        policy = {"deadline": "20s", "preflight": False, "retry": {"attempts": 3, "base": "100ms", "cap": "200ms"}}
        groups = plain_groups(policy)
        done, report, lines, _ = run_example(groups, workdir, f"127.0.0.1:{closed.getsockname()[1]}",
                                             env=keys.environment())
    finally:
        closed.close()
    check_outcomes(groups, report, done)
    failures = [line["transport_failure"] for line in lines[1:]]
    assert failures and all(f == "connect" for f in failures), failures
    for one in report["instances"]:
        assert one["outcome"] == "failed" and one["error"]["code"] == "connect" and one["attempts"] == 0, one


@test
def untrusted():
    workdir = tempfile.mkdtemp(prefix="examples-untrusted-")
    keys = Keys(workdir)
    # A CA that signed nothing the emulator under test serves: another emulator's.
    with Emulator(ARGS.emulator, https=True, workdir=tempfile.mkdtemp(prefix="examples-stranger-")) as other:
        stranger = other.ca
    with Emulator(ARGS.emulator, "--instances", "1", "--keys", keys.file, https=True, workdir=workdir) as emu:
        policy = {"deadline": "20s", "preflight": False, "retry": {"attempts": 2, "base": "100ms", "cap": "200ms"}}
        groups = groups_of(emu, policy, {p: [(1, {})] for p in ENVIRONMENT_NAMES})
        done, report, lines, _ = run_example(groups, workdir, f"127.0.0.1:{emu.port}", stranger, keys.environment())
        log = emu.log()
    check_outcomes(groups, report, done)
    assert log == [], f"{len(log)} requests passed an untrusted certificate"
    assert all(line["transport_failure"] == "connect" for line in lines[1:])
    assert all(one["outcome"] == "failed" for one in report["instances"])


class Proxy:
    """An HTTP proxy for the test: CONNECT tunnels and absolute-form requests, every one of them
    sent to the emulator whatever it names (the clouds' hosts do not resolve here). Records what
    it was asked for."""

    def __init__(self, upstream_port):
        self.upstream = ("127.0.0.1", upstream_port)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.asked = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.handle, args=(client,), daemon=True).start()

    def handle(self, client):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = client.recv(65536)
            if not chunk:
                client.close()
                return
            data += chunk
        head, rest = data.split(b"\r\n\r\n", 1)
        method, target, version = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
        self.asked.append((method, target))
        upstream = socket.create_connection(self.upstream)
        if method == "CONNECT":
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            if rest:
                upstream.sendall(rest)
        else:  # absolute-form: the origin server gets the origin form
            path = "/" + target.split("://", 1)[1].split("/", 1)[1] if target.count("/") >= 3 else "/"
            lines = head.split(b"\r\n")
            lines[0] = f"{method} {path} {version}".encode()
            upstream.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + rest)
        threading.Thread(target=self.pipe, args=(upstream, client), daemon=True).start()
        self.pipe(client, upstream)

    @staticmethod
    def pipe(source, sink):
        try:
            while True:
                chunk = source.recv(65536)
                if not chunk:
                    break
                sink.sendall(chunk)
        except OSError:
            pass
        for s in (source, sink):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self):
        self.sock.close()


@test
def proxy():
    """--connect-to names a port where nothing listens: only what goes through the proxy arrives."""
    workdir = tempfile.mkdtemp(prefix="examples-proxy-")
    keys = Keys(workdir)
    nowhere = socket.socket()
    nowhere.bind(("127.0.0.1", 0))
    nowhere_port = nowhere.getsockname()[1]
    with Emulator(ARGS.emulator, "--instances", "2", "--time-scale", "40", "--keys", keys.file, https=True,
                  workdir=workdir) as emu:
        relay = Proxy(emu.port)
        try:
            policy = {"deadline": "30s", "poll": {"initial": "300ms", "interval": "500ms", "max": "1s"}}
            layout = {p: [(1, {}), (1, {"endpoint": endpoint})] for p, endpoint in (
                ("alibaba", "http://ecs.cn-hangzhou.aliyuncs.com"), ("tencent", "http://cvm.tencentcloudapi.com"),
                ("huawei", "http://ecs.cn-north-4.myhuaweicloud.com"), ("baidu", "http://bcc.bj.baidubce.com"))}
            groups = groups_of(emu, policy, layout)
            done, report, lines, _ = run_example(groups, workdir, f"127.0.0.1:{nowhere_port}", emu.ca,
                                                 keys.environment(), proxy=f"http://127.0.0.1:{relay.port}")
            truth = emu.state()
        finally:
            relay.close()
            nowhere.close()
    check_outcomes(groups, report, done)
    check_against_truth(report, truth)
    assert done.returncode == 0, report["counts"]
    assert not any(line["transport_failure"] for line in lines[1:]), "an exchange failed through the proxy"
    tunnels = [target for method, target in relay.asked if method == "CONNECT"]
    assert tunnels, "no CONNECT tunnel: HTTPS did not go through the proxy"
    if stack() == "httplib":
        # cpp-httplib asks the proxy for the request's host (with the port given): --connect-to
        # cannot reach through a proxy there.
        assert all(t.endswith(f":{nowhere_port}") and not t.startswith("127.") for t in tunnels), tunnels
    else:
        assert set(tunnels) == {f"127.0.0.1:{nowhere_port}"}, set(tunnels)
    print(f"    the proxy was asked {len(relay.asked)} times ({len(tunnels)} tunnels)")


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--example", required=True)
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--cli", required=True, help="cloudreboot, for `cloudreboot replay`")
    parser.add_argument("--instances", type=int, default=13, help="instances per cloud in the faults run")
    parser.add_argument("--only", default=None, help="run only the tests whose name contains this")
    ARGS = parser.parse_args()
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
