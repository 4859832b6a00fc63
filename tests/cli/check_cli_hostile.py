#!/usr/bin/env python3
"""Drives the `cloudreboot` binary with broken files, broken streams and hostile text.

The CLI never crashes and never drops what it was given: a directory, a file it may not read, a read
that fails part-way, a closed or failing standard input or output each give exit 1 and a message
naming the file (a path that does not exist stays exit 2: bad input); a FIFO is read whole even when
its name vanishes while it is read. Every byte it prints on stdout and stderr is valid UTF-8, stdout
is valid JSON for the JSON verbs, stderr is one line per message with no control characters, however
the answers, the environment, the command line or a cut excerpt were encoded. `plan` and `replay`
read their files by the same rules, and a groups document of a million ids is planned in linear
time. Each check states what it runs; the run ends with "N passed, M failed".
"""
import argparse
import ctypes
import json
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import threading

ENV_NAMES = (
    "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN",
    "TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SESSION_TOKEN",
    "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN",
    "BCE_ACCESS_KEY_ID", "BCE_SECRET_ACCESS_KEY", "BCE_SESSION_TOKEN",
)

TENCENT_CASE = {
    "provider": "tencent", "action": "RebootInstances", "signature": "tc3-hmac-sha256", "method": "POST",
    "region": "ap-guangzhou", "time": "2026-11-22T09:10:11Z", "nonce": "11886",
    "credentials": {"access_key_id": "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
                    "access_key_secret": "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"},
    "params": {"InstanceIds": ["ins-r8hr2upy"], "StopType": "SOFT"},
}


def ill_formed_sequences():
    """Every kind of ill-formed UTF-8, generated: lone continuation bytes, bytes that begin nothing,
    overlong forms of '/' and of the first character of each length, surrogates encoded in UTF-8,
    code points above U+10FFFF, and every well-formed character of each length cut at the end."""
    out = {}
    for byte in (0x80, 0x9F, 0xA0, 0xBF):
        out[f"lone continuation {byte:02X}"] = bytes([byte])
    for byte in (0xC0, 0xC1, 0xF5, 0xF8, 0xFC, 0xFE, 0xFF):
        out[f"byte {byte:02X}"] = bytes([byte])
    out["overlong '/' in 2"] = b"\xC0\xAF"
    out["overlong '/' in 3"] = b"\xE0\x80\xAF"
    out["overlong '/' in 4"] = b"\xF0\x80\x80\xAF"
    out["overlong U+07FF in 3"] = b"\xE0\x9F\xBF"
    out["overlong U+FFFF in 4"] = b"\xF0\x8F\xBF\xBF"
    for cp in (0xD800, 0xDBFF, 0xDC00, 0xDFFF):
        out[f"surrogate U+{cp:04X}"] = bytes([0xE0 | cp >> 12, 0x80 | (cp >> 6) & 0x3F, 0x80 | cp & 0x3F])
    out["U+110000"] = b"\xF4\x90\x80\x80"
    for char in ("\u00e9", "\u20ac", "\U0001F600", "\U0010FFFF"):
        encoded = char.encode()
        for cut in range(1, len(encoded)):
            out[f"U+{ord(char):04X} cut to {cut} bytes"] = encoded[:cut]
    return out


class Checker:
    def __init__(self, cli: str):
        self.cli = cli
        self.passed = 0
        self.failed = 0

    def check(self, condition: bool, what: str, detail: str = "") -> bool:
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {what}" + (f"\n     {detail}" if detail else ""))
        return condition

    def run(self, args, what, stdin=b"", env=None, json_out=True, **popen):
        """Runs the CLI and checks what holds for every run: it ended by itself (no signal, no
        abort), stdout and stderr are valid UTF-8, stderr is whole lines of printable text, and
        stdout is JSON when the verb prints JSON and succeeded."""
        clean_env = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
        if env:
            clean_env.update(env)
        clean_env = {os.fsencode(k): (v if isinstance(v, bytes) else os.fsencode(v)) for k, v in clean_env.items()}
        if isinstance(stdin, (bytes, bytearray)):
            popen["input"] = stdin
        else:
            popen["stdin"] = stdin
        popen.setdefault("stdout", subprocess.PIPE)
        try:
            result = subprocess.run([self.cli, *args], stderr=subprocess.PIPE, env=clean_env, timeout=60, **popen)
        except subprocess.TimeoutExpired as late:
            self.check(False, f"{what}: ends within 60 s")
            result = subprocess.CompletedProcess(late.cmd, 124, late.output or b"", late.stderr or b"")
        if result.stdout is None:
            result.stdout = b""
        self.check(result.returncode >= 0, f"{what}: ends by itself",
                   f"killed by signal {-result.returncode} ({signal.Signals(-result.returncode).name})"
                   if result.returncode < 0 else "")
        self.check(result.returncode in (0, 1, 2), f"{what}: exit status is 0, 1 or 2", f"exit {result.returncode}")
        for stream, name in ((result.stdout, "stdout"), (result.stderr, "stderr")):
            try:
                stream.decode("utf-8", errors="strict")
                valid = True
            except UnicodeDecodeError as failure:
                valid = False
                self.check(False, f"{what}: {name} is valid UTF-8", f"{failure}: {stream[:200]!r}")
            if valid:
                self.passed += 1
        lines = result.stderr.split(b"\n")
        self.check(result.stderr == b"" or (lines[-1] == b"" and all(
            not any(b < 0x20 or b == 0x7F for b in line) for line in lines)),
            f"{what}: stderr is whole lines without control characters", repr(result.stderr[:300]))
        if json_out and result.returncode == 0:
            try:
                json.loads(result.stdout)
                self.passed += 1
            except ValueError as failure:
                self.check(False, f"{what}: stdout is JSON", f"{failure}: {result.stdout[:300]!r}")
        return result


def expect(c: Checker, result, status, what, stderr_has=(), stdout_empty=None):
    c.check(result.returncode == status, f"{what}: exits {status}",
            f"exit {result.returncode}, stderr {result.stderr.decode(errors='replace').strip()}")
    for fragment in stderr_has:
        c.check(fragment.encode() in result.stderr, f"{what}: stderr names {fragment!r}",
                result.stderr.decode(errors="replace").strip())
    if stdout_empty is None:
        stdout_empty = status != 0
    if stdout_empty:
        c.check(result.stdout == b"", f"{what}: prints nothing on stdout", repr(result.stdout[:200]))


# ---------------------------------------------------------------------------------------------
# Files and streams.

def check_files(c: Checker, work: pathlib.Path) -> None:
    case_text = json.dumps(TENCENT_CASE).encode()
    good = work / "case.json"
    good.write_bytes(case_text)
    reference = c.run(["sign", str(good)], "a readable case")
    expect(c, reference, 0, "a readable case")

    missing = work / "no-such-case.json"
    expect(c, c.run(["sign", str(missing)], "a missing FILE"), 2, "a missing FILE", [str(missing)])
    expect(c, c.run(["sign", str(work / "case.json" / "below")], "a FILE below a file"), 2, "a FILE below a file")

    for verb in ("sign", "curl", "explain"):
        expect(c, c.run([verb, str(work)], f"{verb} of a directory", json_out=False), 1,
               f"{verb} of a directory", [str(work), "directory"])
    parse_args = ["parse", "--provider", "tencent", "--action", "RebootInstances"]
    expect(c, c.run([*parse_args, str(work)], "parse of a directory"), 1, "parse of a directory", [str(work)])

    # An I/O error on the first read: /proc/self/mem, read by the CLI itself at offset 0 (unmapped).
    expect(c, c.run(["sign", "/proc/self/mem"], "a FILE whose read fails"), 1, "a FILE whose read fails",
           ["/proc/self/mem", "Input/output error"])

    # A file without read permission. Root reads anything, so as root the CLI runs as nobody.
    locked_dir = pathlib.Path(tempfile.mkdtemp(prefix="cloudreboot-locked-"))
    try:
        os.chmod(locked_dir, 0o755)
        locked = locked_dir / "case.json"
        locked.write_bytes(case_text)
        os.chmod(locked, 0o000)
        as_nobody = {}
        if os.geteuid() == 0:
            def drop():
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            as_nobody = {"preexec_fn": drop}
        denied = c.run(["sign", str(locked)], "a FILE without read permission", **as_nobody)
        expect(c, denied, 1, "a FILE without read permission", [str(locked), "Permission denied"])
    finally:
        for path in locked_dir.iterdir():
            path.unlink()
        locked_dir.rmdir()

    # Standard input closed, a directory, or failing part-way.
    closed = c.run(["sign", "-"], "closed standard input", stdin=None, preexec_fn=lambda: os.close(0))
    expect(c, closed, 1, "closed standard input", ["standard input"])
    directory_fd = os.open(str(work), os.O_RDONLY)
    try:
        expect(c, c.run(["sign"], "standard input is a directory", stdin=directory_fd), 1,
               "standard input is a directory", ["standard input", "directory"])
    finally:
        os.close(directory_fd)
    check_stdin_failing_part_way(c, case_text)

    # Larger than any case: refused as bad input once the cap is passed, not read into memory. The
    # bytes come through a FIFO, so a CLI without the cap reads a bounded amount and fails the check.
    oversized = work / "oversized.fifo"
    os.mkfifo(oversized)

    def flood():
        block = b" " * (1 << 20)
        try:
            with open(oversized, "wb") as writer:
                for _ in range(64):
                    writer.write(block)
                writer.write(b" ")
        except BrokenPipeError:
            pass  # the CLI stopped reading at the cap, as it should

    flooder = threading.Thread(target=flood)
    flooder.start()
    expect(c, c.run(["sign", str(oversized)], "a FILE over 64 MiB"), 2, "a FILE over 64 MiB",
           [str(oversized), "64 MiB"])
    flooder.join()
    oversized.unlink()

    # A FIFO is read whole, in whatever pieces it comes, even when its name is removed while it is
    # read (the CLI has it open: the bytes still arrive).
    for vanish in (False, True):
        what = "a FIFO whose name vanishes while it is read" if vanish else "a FIFO written in pieces"
        fifo = work / ("vanishing.fifo" if vanish else "pieces.fifo")
        os.mkfifo(fifo)

        def feed():
            with open(fifo, "wb", buffering=0) as writer:  # returns once the CLI has opened it
                if vanish:
                    fifo.unlink()
                for start in range(0, len(case_text), 7):
                    writer.write(case_text[start:start + 7])

        feeder = threading.Thread(target=feed)
        feeder.start()
        piped = c.run(["sign", str(fifo)], what)
        feeder.join()
        expect(c, piped, 0, what)
        c.check(piped.stdout == reference.stdout, f"{what}: signs the same request as the file")
        if fifo.exists():
            fifo.unlink()

    # Standard output that cannot be written: a full device.
    with open("/dev/full", "wb") as full:
        for args, what in ((["sign", str(good)], "sign"), (["errors", "alibaba"], "errors"), (["demo"], "demo"),
                           (["--help"], "--help")):
            failed = c.run(args, f"{what} into a full device", stdout=full, json_out=False)
            expect(c, failed, 1, f"{what} into a full device", ["standard output"], stdout_empty=False)


def check_stdin_failing_part_way(c: Checker, case_text: bytes) -> None:
    """Standard input that gives some bytes and then an I/O error: this process's own memory
    through /proc/self/mem, positioned just before a page that is not mapped. The CLI must report
    the failed read (exit 1), not sign or reject the bytes it did get as a truncated case."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
    libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    page = os.sysconf("SC_PAGE_SIZE")
    prot_read_write, map_private_anonymous = 0x1 | 0x2, 0x02 | 0x20
    base = libc.mmap(None, 2 * page, prot_read_write, map_private_anonymous, -1, 0)
    if not c.check(base not in (None, ctypes.c_void_p(-1).value), "mmap for the failing standard input"):
        return
    try:
        if not c.check(libc.munmap(base + page, page) == 0, "munmap of the guard page"):
            return
        prefix = case_text[: len(case_text) // 2]
        start = base + page - len(prefix)
        ctypes.memmove(start, prefix, len(prefix))
        memory = os.open("/proc/self/mem", os.O_RDONLY)
        try:
            os.lseek(memory, start, os.SEEK_SET)
            failing = c.run(["sign", "-"], "standard input failing part-way", stdin=memory)
        finally:
            os.close(memory)
        expect(c, failing, 1, "standard input failing part-way",
               ["standard input", f"after {len(prefix)} bytes", "Input/output error"])
    finally:
        libc.munmap(base, page)


# ---------------------------------------------------------------------------------------------
# Text: everything printed is valid UTF-8, whatever came in.

def check_text(c: Checker, work: pathlib.Path) -> None:
    sequences = ill_formed_sequences()
    parse_args = ["parse", "--provider", "tencent", "--action", "RebootInstances"]
    for name, bad in sequences.items():
        # In the JSON handed to sign and parse: refused as bad input, the bytes not echoed.
        case_bytes = json.dumps(TENCENT_CASE).replace("ins-r8hr2upy", "ins-@@").encode().replace(b"@@", bad)
        expect(c, c.run(["sign", "-"], f"sign: case with {name}", stdin=case_bytes), 2, f"sign: case with {name}",
               ["case"])
        wrapper = b'{"status": 200, "headers": {"x-' + bad + b'": "1"}, "body": "{\\"Response\\": {}}' + bad + b'"}'
        expect(c, c.run(parse_args, f"parse: answer with {name}", stdin=wrapper), 2, f"parse: answer with {name}",
               ["response"])

        # From the environment: an id or token that cannot be printed is refused naming the
        # variable; a secret is never printed, so it signs.
        env_case = {k: v for k, v in TENCENT_CASE.items() if k != "credentials"}
        env_text = json.dumps(env_case).encode()
        good_env = {"TENCENTCLOUD_SECRET_ID": "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
                    "TENCENTCLOUD_SECRET_KEY": "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"}
        for variable in ("TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SESSION_TOKEN"):
            env = dict(good_env)
            env[variable] = b"AKID" + bad + b"x"
            expect(c, c.run(["sign", "-"], f"sign: {variable} with {name}", stdin=env_text, env=env), 2,
                   f"sign: {variable} with {name}", [variable])
        env = dict(good_env)
        env["TENCENTCLOUD_SECRET_KEY"] = b"secret" + bad + b"key"
        signed = c.run(["sign", "-"], f"sign: secret with {name}", stdin=env_text, env=env)
        expect(c, signed, 0, f"sign: secret with {name}")
        c.check(b"secret" + bad not in signed.stdout + signed.stderr, f"sign: secret with {name} is not printed")

        # From the command line: a path and a verb quoted in messages.
        path = str(work).encode() + b"/missing-" + bad + b".json"
        expect(c, c.run(["sign", path], f"sign: missing FILE named with {name}"), 2,
               f"sign: missing FILE named with {name}", ["missing-"])
        expect(c, c.run([b"reboot-" + bad], f"an unknown verb with {name}", json_out=False), 2,
               f"an unknown verb with {name}", ["unknown verb reboot-"])
        expect(c, c.run(["errors", "tencent", b"Code" + bad], f"errors: a CODE with {name}"), 2,
               f"errors: a CODE with {name}", ["CODE"])

    # Nothing handed to parse is ignored: a misspelt field of the response is refused, naming it.
    misspelt = c.run(parse_args, "parse: a response with a misspelt field",
                     stdin=b'{"status": 200, "bdoy": "{\\"Response\\": {}}"}')
    expect(c, misspelt, 2, "parse: a response with a misspelt field", ["bdoy"])

    # Field names from a case that would drive a terminal are quoted as escapes.
    for key, shown in (("\u001b[31mForceStop", "\\u001b[31mForceStop"), ("Force\nStop", "Force\\nStop"),
                       ("\u009b31mX", "\\u009b31mX"), ("Del\u007f", "Del\\u007f")):
        case = json.loads(json.dumps(TENCENT_CASE))
        case["params"][key] = True
        refused = c.run(["sign", "-"], f"sign: parameter named {key!r}", stdin=json.dumps(case).encode())
        expect(c, refused, 2, f"sign: parameter named {key!r}", [shown])
        c.check(refused.stderr.count(b"\n") == 1, f"sign: parameter named {key!r} gives one line")

    # Excerpts of non-JSON answers are cut at a character boundary: a character of each length
    # lands on and around the cut, for both providers that quote a raw body.
    for provider, action in (("huawei", "ShowJob"), ("baidu", "GetInstance")):
        for char in ("\u00e9", "\u20ac", "\U0001F600"):
            for offset in range(248, 260):
                body = "<html>" + "x" * (offset - 6) + char * 3 + " gateway failed</html>"
                wrapper = json.dumps({"status": 502, "body": body}).encode()
                what = f"parse {provider}: a non-JSON answer with U+{ord(char):04X} at byte {offset}"
                result = c.run(["parse", "--provider", provider, "--action", action], what, stdin=wrapper)
                # The outcome is printed whether the exit status says success or provider failure.
                if c.check(result.stdout != b"", f"{what}: prints the outcome", result.stderr.decode(errors="replace")):
                    try:
                        message = json.dumps(json.loads(result.stdout))
                    except ValueError as failure:  # UnicodeDecodeError included
                        message = f"not JSON in UTF-8: {failure} \\ufffd"
                    c.check("\\ufffd" not in message, f"{what}: no character is cut in two", message[:400])


# ---------------------------------------------------------------------------------------------
# The fleet verbs: plan reads a groups document, replay a transcript, with the same file rules;
# a fleet of a million ids is planned in time linear in its size.

FLEET_TIME = "2026-11-22T09:10:11Z"


def fleet_document(ids, preflight=False) -> bytes:
    return json.dumps({"groups": [{"provider": "tencent", "region": "ap-guangzhou", "instances": ids,
                                   "credentials": TENCENT_CASE["credentials"]}],
                       "policy": {"preflight": preflight}, "seed": 1}).encode()


def as_nobody() -> dict:
    """Popen arguments that run the CLI as nobody when we are root (root reads anything)."""
    if os.geteuid() != 0:
        return {}

    def drop():
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)
    return {"preexec_fn": drop}


def check_fleet(c: Checker, work: pathlib.Path) -> None:
    groups = work / "groups.json"
    groups.write_bytes(fleet_document(["ins-r8hr2upy"]))
    verbs = {"plan": ["plan", "--time", FLEET_TIME], "replay": ["replay"]}
    for verb, args in verbs.items():
        expect(c, c.run([*args, str(work)], f"{verb} of a directory", json_out=False), 1, f"{verb} of a directory",
               [str(work), "directory"])
        missing = work / "no-such-file.json"
        expect(c, c.run([*args, str(missing)], f"{verb} of a missing file"), 2, f"{verb} of a missing file", [str(missing)])
        expect(c, c.run([*args, "/proc/self/mem"], f"{verb} of a file whose read fails"), 1,
               f"{verb} of a file whose read fails", ["/proc/self/mem", "Input/output error"])
        locked_dir = pathlib.Path(tempfile.mkdtemp(prefix="cloudreboot-locked-"))
        try:
            os.chmod(locked_dir, 0o755)
            locked = locked_dir / "input.json"
            locked.write_bytes(groups.read_bytes())
            os.chmod(locked, 0o000)
            denied = c.run([*args, str(locked)], f"{verb} of a file without read permission", **as_nobody())
            expect(c, denied, 1, f"{verb} of a file without read permission", [str(locked), "Permission denied"])
        finally:
            for path in locked_dir.iterdir():
                path.unlink()
            locked_dir.rmdir()

        # More than 64 MiB through a FIFO: refused at the cap, not read into memory.
        oversized = work / f"{verb}-oversized.fifo"
        os.mkfifo(oversized)

        def flood():
            try:
                with open(oversized, "wb") as writer:
                    for _ in range(65):
                        writer.write(b" " * (1 << 20))
            except BrokenPipeError:
                pass

        flooder = threading.Thread(target=flood)
        flooder.start()
        expect(c, c.run([*args, str(oversized)], f"{verb} of more than 64 MiB", json_out=False), 2,
               f"{verb} of more than 64 MiB", [str(oversized), "64 MiB"])
        flooder.join()
        oversized.unlink()

        # Ill-formed UTF-8 in an id (a groups document, or a transcript's first line): bad input,
        # the bytes not echoed.
        for name, bad in ill_formed_sequences().items():
            text = fleet_document(["ins-@@"]).replace(b"@@", bad)
            if verb == "replay":
                text = b'{"transcript": 1, ' + text[1:] + b"\n"
            result = c.run([*args, "-"], f"{verb}: {name} in an id", stdin=text, json_out=False)
            expect(c, result, 2, f"{verb}: {name} in an id", ["line 1" if verb == "replay" else "JSON"])

    # Keys from the environment that cannot be printed are refused, naming the variable.
    bare = json.dumps({"groups": [{"provider": "tencent", "region": "ap-guangzhou", "instances": ["ins-r8hr2upy"]}],
                       "seed": 1}).encode()
    env = {"TENCENTCLOUD_SECRET_ID": b"AKID\xffx", "TENCENTCLOUD_SECRET_KEY": "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"}
    expect(c, c.run(verbs["plan"] + ["-"], "plan: a key id that is not UTF-8", stdin=bare, env=env, json_out=False), 2,
           "plan: a key id that is not UTF-8", ["TENCENTCLOUD_SECRET_ID"])
    # Output that cannot be written.
    with open("/dev/full", "wb") as full:
        failed = c.run(verbs["plan"] + [str(groups)], "plan into a full device", stdout=full, json_out=False)
        expect(c, failed, 1, "plan into a full device", ["standard output"], stdout_empty=False)

    # A million ids: distinct (10,000 reboot requests of 100), one id a million times (one request),
    # a million malformed ids (none); and 200,000 ids with their state reads first (2,000 reads).
    # Each must end well within the runner's 60 s: a quadratic step would take hours.
    tencent = [f"ins-{n:08d}" for n in range(1_000_000)]
    for what, text, requests in (
            ("a million distinct ids", fleet_document(tencent), 10_000),
            ("one id a million times", fleet_document(["ins-r8hr2upy"] * 1_000_000), 1),
            ("a million malformed ids", fleet_document([f"bad id {n}" for n in range(1_000_000)]), 0),
            ("200,000 ids read first", fleet_document(tencent[:200_000], preflight=True), 2_000)):
        result = c.run(verbs["plan"] + ["-"], f"plan of {what}", stdin=text, json_out=False)
        expect(c, result, 0, f"plan of {what}")
        lines = result.stdout.splitlines()
        c.check(len(lines) == requests, f"plan of {what}: {requests} requests", f"got {len(lines)}")
        if lines:
            c.check(all(line.startswith(b'{"group":0,"instances":["ins-') for line in lines),
                    f"plan of {what}: every line a planned request")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", required=True)
    args = parser.parse_args()
    c = Checker(os.path.abspath(args.cli))
    with tempfile.TemporaryDirectory(prefix="cloudreboot-hostile-") as work:
        os.chmod(work, 0o755)
        check_files(c, pathlib.Path(work))
        check_text(c, pathlib.Path(work))
        check_fleet(c, pathlib.Path(work))
    print(f"{c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
