"""Helpers for the emulator's tests: the emulator as a process, a raw HTTP/1.1 client (so the
request line and headers reach the emulator byte for byte, as `curl --connect-to` sends them),
`cloudreboot sign` / `parse`, and small test-only signers for requests the CLI refuses to build
(more than 100 ids, malformed ids, ...). Standard library only."""

import base64
import hashlib
import hmac
import json
import os
import socket
import ssl
import subprocess
import tempfile
import time
import urllib.parse


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # list of (name, value)
        self.body = body        # bytes

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def json(self):
        return json.loads(self.body.decode())

    def as_parse_input(self):
        return {"status": self.status, "headers": {k: v for k, v in self.headers}, "body": self.body.decode()}


class Closed(Exception):
    """The server closed the connection without a (complete) answer."""


class Connection:
    """One keep-alive connection to the emulator, plain or TLS (SNI and certificate checked
    against `server_name` with the emulator's CA)."""

    def __init__(self, port, tls=False, ca=None, server_name=None, timeout=20):
        raw = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        if tls:
            context = ssl.create_default_context(cafile=ca)
            raw = context.wrap_socket(raw, server_hostname=server_name)
        self.sock = raw
        self.buffer = b""

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def send_raw(self, data):
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise Closed()
        self.buffer += chunk

    def read_response(self):
        try:
            while b"\r\n\r\n" not in self.buffer:
                self._fill()
        except (ConnectionResetError, ssl.SSLError, socket.timeout) as failure:
            raise Closed() from failure
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = [tuple(part.strip() for part in line.split(":", 1)) for line in lines[1:]]
        length = 0
        for name, value in headers:
            if name.lower() == "content-length":
                length = int(value)
        while len(self.buffer) < length:
            self._fill()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return Response(status, headers, body)

    def request(self, method, target, headers, body=b""):
        """headers: list of (name, value) pairs, sent in order and spelt as given."""
        if isinstance(body, str):
            body = body.encode()
        names = {name.lower() for name, _ in headers}
        lines = [f"{method} {target} HTTP/1.1"] + [f"{name}: {value}" for name, value in headers]
        if "content-length" not in names and (body or method in ("POST", "PUT")):
            lines.append(f"Content-Length: {len(body)}")
        self.send_raw(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        return self.read_response()


class Emulator:
    """cloudreboot-emulator started with the given options; stopped with POST /_emulator/shutdown."""

    def __init__(self, binary, *options, https=False, workdir=None):
        self.dir = workdir or tempfile.mkdtemp(prefix="emulator-")
        self.port_file = os.path.join(self.dir, "port")
        self.log_file = os.path.join(self.dir, "log.jsonl")
        self.ca = os.path.join(self.dir, "ca.pem") if https else None
        args = [binary, "--port-file", self.port_file, "--log", self.log_file, *options]
        if https:
            args += ["--https", "--ca-out", self.ca]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.first_line = self.proc.stdout.readline().rstrip("\n")
        if not self.first_line.startswith("listening on "):
            self.proc.wait(10)
            raise RuntimeError(f"emulator did not start: {self.first_line!r} {self.proc.stderr.read()}")
        self.port = int(self.first_line.split()[2].rsplit(":", 1)[1])
        self.https = https

    def connect(self, tls=False, server_name=None):
        return Connection(self.port, tls=tls, ca=self.ca, server_name=server_name)

    def control(self, method, path):
        conn = self.connect()
        try:
            return conn.request(method, path, [("Host", "127.0.0.1")])
        finally:
            conn.close()

    def state(self):
        return self.control("GET", "/_emulator/state").json()

    def instances(self, provider=None):
        return [i for i in self.state()["instances"] if provider is None or i["provider"] == provider]

    def log(self):
        with open(self.log_file) as f:
            return [json.loads(line) for line in f if line.strip()]

    def stop(self):
        if hasattr(self, "stderr"):  # already stopped
            return self.proc.returncode
        if self.proc.poll() is None:
            try:
                self.control("POST", "/_emulator/shutdown")
            except (Closed, OSError):
                pass
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stderr = self.proc.stderr.read()
        self.proc.stdout.close()
        self.proc.stderr.close()
        return self.proc.returncode

    def __enter__(self):
        return self

    def __exit__(self, kind, value, trace):
        code = self.stop()
        if kind is None:  # do not hide the failure already under way
            for report in ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                           "WARNING: ThreadSanitizer"):
                assert report not in self.stderr, f"the emulator reported: {self.stderr[-4000:]}"
            assert code == 0, f"the emulator exited {code}: {self.stderr[-2000:]}"


def send(emu, signed, tls=False, conn=None):
    """Sends a request in `cloudreboot sign`'s form {"method", "url", "headers", "body"} to the
    emulator, as `curl --connect-to ::127.0.0.1:PORT` would: the URL's host goes in Host (and SNI)."""
    url = urllib.parse.urlsplit(signed["url"])
    target = url.path or "/"
    if url.query:
        target += "?" + url.query
    headers = list(signed["headers"].items()) if isinstance(signed["headers"], dict) else list(signed["headers"])
    if not any(name.lower() == "host" for name, _ in headers):
        headers.insert(0, ("Host", url.netloc))
    own = conn is None
    if own:
        conn = emu.connect(tls=tls, server_name=url.hostname)
    try:
        return conn.request(signed["method"], target, headers, signed.get("body", ""))
    finally:
        if own:
            conn.close()


# ---------------------------------------------------------------------------------------------
# The cloudreboot CLI.

class Cli:
    def __init__(self, binary):
        self.binary = binary

    def sign(self, case):
        done = subprocess.run([self.binary, "sign", "-"], input=json.dumps(case), capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"cloudreboot sign failed: {done.stderr}")
        return json.loads(done.stdout)

    def parse(self, provider, action, response):
        """(exit status, outcome JSON or None, stderr) of `cloudreboot parse`."""
        done = subprocess.run([self.binary, "parse", "--provider", provider, "--action", action, "-"],
                              input=json.dumps(response.as_parse_input()), capture_output=True, text=True)
        outcome = json.loads(done.stdout) if done.returncode == 0 and done.stdout.strip() else None
        return done.returncode, outcome, done.stderr


def now_text(offset=0):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + offset))


# ---------------------------------------------------------------------------------------------
# Test-only signers, written from the providers' documented algorithms (docs/<provider>.md), for
# requests the CLI refuses to sign because the library validates them first.

def pct(text):
    return urllib.parse.quote(str(text), safe="-_.~")


def alibaba_rpc(host, params, key_id, secret, method="GET", when=None, nonce=None, fmt="JSON"):
    values = {"AccessKeyId": key_id, "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
              "SignatureNonce": nonce or os.urandom(16).hex(), "Timestamp": when or now_text(),
              "Version": "2014-05-26", **params}
    if fmt is not None:
        values["Format"] = fmt
    canonical = "&".join(f"{pct(k)}={pct(v)}" for k, v in sorted(values.items()))
    to_sign = f"{method}&%2F&{pct(canonical)}"
    signature = base64.b64encode(hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()).decode()
    wire = canonical + "&Signature=" + pct(signature)
    if method == "GET":
        return {"method": "GET", "url": f"https://{host}/?{wire}", "headers": {"Host": host}, "body": ""}
    return {"method": "POST", "url": f"https://{host}/", "body": wire,
            "headers": {"Host": host, "Content-Type": "application/x-www-form-urlencoded"}}


def tencent_v1(host, params, key_id, secret, region="ap-guangzhou", method="GET", when=None, nonce=None,
               path="/"):
    values = {"Action": "RebootInstances", "Version": "2017-03-12", "Region": region, "SecretId": key_id,
              "Timestamp": str(int(when if when is not None else time.time())), "Nonce": str(nonce or 11886),
              "SignatureMethod": "HmacSHA256", **params}
    source = f"{method}{host}{path}?" + "&".join(f"{k}={v}" for k, v in sorted(values.items()))
    signature = base64.b64encode(hmac.new(secret.encode(), source.encode(), hashlib.sha256).digest()).decode()
    wire = "&".join(f"{k}={pct(v)}" for k, v in values.items()) + "&Signature=" + pct(signature)
    if method == "GET":
        return {"method": "GET", "url": f"https://{host}{path}?{wire}", "headers": {"Host": host}, "body": ""}
    return {"method": "POST", "url": f"https://{host}{path}", "body": wire,
            "headers": {"Host": host, "Content-Type": "application/x-www-form-urlencoded"}}


def huawei_sdk(host, method, path, body, key_id, secret, project_id, when=None):
    date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(when if when is not None else time.time()))
    headers = {"Content-Type": "application/json", "Host": host, "X-Project-Id": project_id, "X-Sdk-Date": date}
    canonical_uri = "/".join(pct(s) for s in path.split("/")) + ("" if path.endswith("/") else "/")
    lines = sorted(f"{k.lower()}:{v.strip()}" for k, v in headers.items())
    signed = ";".join(sorted(k.lower() for k in headers))
    canonical = "\n".join([method, canonical_uri, "", "\n".join(lines) + "\n", signed,
                           hashlib.sha256(body.encode()).hexdigest()])
    to_sign = f"SDK-HMAC-SHA256\n{date}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    signature = hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    headers["Authorization"] = f"SDK-HMAC-SHA256 Access={key_id}, SignedHeaders={signed}, Signature={signature}"
    return {"method": method, "url": f"https://{host}{path}", "headers": headers, "body": body}


def baidu_bce(host, method, path, query, body, key_id, secret, when=None, expiration=1800):
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when if when is not None else time.time()))
    headers = {"Host": host, "x-bce-date": stamp, "Content-Type": "application/json"}
    if body:
        headers["Content-Length"] = str(len(body.encode()))
    prefix = f"bce-auth-v1/{key_id}/{stamp}/{expiration}"
    signing_key = hmac.new(secret.encode(), prefix.encode(), hashlib.sha256).hexdigest()
    canonical_query = "&".join(sorted(f"{pct(k)}={pct(v)}" for k, v in query))
    canonical_headers = "\n".join(sorted(f"{pct(k.lower())}:{pct(v.strip())}" for k, v in headers.items()))
    canonical = "\n".join([method, path, canonical_query, canonical_headers])
    signature = hmac.new(signing_key.encode(), canonical.encode(), hashlib.sha256).hexdigest()
    signed = ";".join(sorted(k.lower() for k in headers))
    headers["Authorization"] = f"{prefix}/{signed}/{signature}"
    wire_query = "&".join(k if v == "" else f"{k}={pct(v)}" for k, v in query)
    return {"method": method, "url": f"https://{host}{path}" + (f"?{wire_query}" if wire_query else ""),
            "headers": headers, "body": body}


# ---------------------------------------------------------------------------------------------
# The vendor-SDK-signed cases of tests/data.

def sdk_cases(data):
    """(scheme, name, provider, case, request or None, SDK's Authorization or None) for every
    <provider>/<scheme>/<name>/ folder holding case.json and request.json, and every line of
    <provider>/<scheme>/generated.jsonl (its request is None when the line holds only the SDK's
    Authorization, as the ACS3 lines do: the caller signs the case with the CLI and compares).
    `scheme` is "<provider>/<scheme>"."""
    out = []
    for provider in sorted(os.listdir(data)):
        if not os.path.isdir(os.path.join(data, provider)):
            continue
        for scheme in sorted(os.listdir(os.path.join(data, provider))):
            folder = os.path.join(data, provider, scheme)
            if not os.path.isdir(folder) or scheme in ("responses", "invalid", "stages"):
                continue
            for name in sorted(os.listdir(folder)):
                request_file = os.path.join(folder, name, "request.json")
                case_file = os.path.join(folder, name, "case.json")
                if os.path.exists(request_file) and os.path.exists(case_file):
                    with open(case_file) as f:
                        case = json.load(f)
                    with open(request_file) as f:
                        out.append((f"{provider}/{scheme}", name, provider, case, json.load(f), None))
            generated = os.path.join(folder, "generated.jsonl")
            if os.path.exists(generated):
                with open(generated) as f:
                    for n, line in enumerate(f):
                        item = json.loads(line)
                        out.append((f"{provider}/{scheme}", f"generated:{n}", provider, item["case"],
                                    item["expected"].get("request"), item["expected"].get("authorization")))
    return out


def sample_per_scheme(entries, count, scheme_of=lambda entry: entry[0]):
    """At most `count` entries of each scheme, spread evenly over its entries (0: all)."""
    if not count:
        return list(entries)
    by_scheme = {}
    for entry in entries:
        by_scheme.setdefault(scheme_of(entry), []).append(entry)
    out = []
    for items in by_scheme.values():
        step = max(1.0, len(items) / count)
        out += [items[int(i * step)] for i in range(min(count, len(items)))]
    return out


def url_host(url):
    return urllib.parse.urlsplit(url).hostname


def routable_host(host):
    """Whether the emulator routes this Host to a provider (docs/emulator.md, "Routing")."""
    import re
    region = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
    patterns = [r"ecs\.aliyuncs\.com", rf"ecs\.{region}\.aliyuncs\.com", rf"ecs-vpc\.{region}\.aliyuncs\.com",
                rf"ecs-{region}\.aliyuncs\.com", r"cvm\.tencentcloudapi\.com", r"cvm\.intl\.tencentcloudapi\.com",
                rf"cvm\.{region}\.tencentcloudapi\.com", r"cvm\.api\.qcloud\.com",
                rf"ecs\.{region}\.myhuaweicloud\.com", rf"bcc\.{region}\.baidubce\.com"]
    return any(re.fullmatch(p, (host or "").lower()) for p in patterns)
