#!/usr/bin/env python3
"""Writes the seed corpora of the signer and case fuzz targets from the vectors in tests/data.

    python3 tools/fuzz_seeds.py    # rewrites fuzz/corpus/{cli_case,<provider>_signer}/{seed,hole}-*

cli_case gets the cases themselves (every vector folder's case.json, every invalid case, and one
generated SDK case in 20). Each <provider>_signer target reads its input as a sequence of fields
(fuzz/fuzz_support.hpp field_reader and read_common, then the fields listed at the top of
fuzz/<provider>_signer.cpp); this script writes the same cases in that form, so the fuzzer starts
from requests that sign.

hole-* files are one documented case each with one value changed into a class of input the fuzz
targets found reaching the wire unchecked (HOLES below): they fail until the library refuses that
class, and keep the fix exercised afterwards. Other files (inputs kept from fuzzing runs) are left alone.
"""
import datetime
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
CORPUS = ROOT / "fuzz" / "corpus"
GENERATED_SAMPLE = 20  # one generated case in this many

OPERATIONS = {
    "alibaba": ["RebootInstances", "RebootInstance", "DescribeInstanceStatus"],
    "tencent": ["RebootInstances", "DescribeInstancesStatus", "DescribeInstances"],
    "huawei": ["BatchRebootServers", "ShowJob", "ShowServer"],
    "baidu": ["RebootInstance", "GetInstance"],
}
SCHEMES = {
    "alibaba": ["acs3-hmac-sha256", "rpc-hmac-sha1"],
    "tencent": ["tc3-hmac-sha256", "hmac-sha256", "hmac-sha1"],
    "huawei": ["sdk-hmac-sha256", "v11-hmac-sha256"],
    "baidu": ["bce-auth-v1"],
}
METHODS = {"": 0, "GET": 1, "POST": 2, "PUT": 3}


class Fields:
    """The byte form field_reader reads: bytes, little-endian numbers, length-prefixed texts."""

    def __init__(self):
        self.out = bytearray()

    def byte(self, value):
        self.out.append(value & 0xFF)

    def number(self, value, width):
        self.out += int(value).to_bytes(width, "little", signed=value < 0)

    def text(self, value):
        raw = str(value).encode()[:255]
        self.byte(len(raw))
        self.out += raw

    def texts(self, values):
        values = list(values)[:255]
        self.byte(len(values))
        for value in values:
            self.text(value)

    def optional_bool(self, value):
        self.byte(0 if value is None else 2 if value else 1)

    def optional_int(self, value):
        if value is None:
            self.byte(0)
        else:
            self.byte(1)
            self.number(value, 4)


def seconds_of(time_text):
    stamp = datetime.datetime.fromisoformat(time_text.replace("Z", "+00:00"))
    return int(stamp.timestamp())


def endpoint_of(text):
    """(scheme, host, port) as parse_endpoint reads an endpoint text."""
    scheme = "https"
    for prefix in ("https://", "http://"):
        if text.startswith(prefix):
            scheme = prefix[:-3]
            text = text[len(prefix):]
    text = text.rstrip("/")
    host, _, port = text.partition(":")
    return scheme, host, int(port) if port else 0


def common(case, provider, endpoint=None):
    """endpoint: (scheme, host, port) written into the options struct as is, bypassing parse_endpoint."""
    f = Fields()
    f.byte(OPERATIONS[provider].index(case["action"]))
    f.byte(SCHEMES[provider].index(case.get("signature") or SCHEMES[provider][0]))
    f.byte(METHODS[case.get("method", "")])
    f.number(seconds_of(case["time"]), 5)
    f.text(case.get("nonce", ""))
    creds = case.get("credentials") or {}
    f.text(creds.get("access_key_id", ""))
    f.text(creds.get("access_key_secret", ""))
    f.text(creds.get("security_token", ""))
    if endpoint is None and case.get("endpoint"):
        endpoint = endpoint_of(case["endpoint"])
    if endpoint is not None:
        scheme, host, port = endpoint
        f.byte(1)
        f.text(scheme)
        f.text(host)
        f.number(port, 2)
    else:
        f.byte(0)
    return f


def alibaba(case, endpoint=None):
    f = common(case, "alibaba", endpoint)
    params = case["params"]
    single = case["action"] == "RebootInstance"
    f.text("" if single else params.get("RegionId", case.get("region", "")))
    ids = params.get("InstanceId", [])
    f.texts([ids] if isinstance(ids, str) else ids)
    f.optional_bool(params.get("ForceStop" if single else "ForceReboot"))
    f.byte({None: 0, "AllTogether": 1, "SuccessFirst": 2}[params.get("BatchOptimization")])
    f.optional_bool(params.get("DryRun"))
    f.text(params.get("ZoneId", ""))
    f.optional_int(params.get("PageNumber"))
    f.optional_int(params.get("PageSize"))
    f.text(case.get("region", "") if single else "")
    f.byte(0)  # placement: query
    return f.out


def tencent(case, endpoint=None, service=""):
    f = common(case, "tencent", endpoint)
    params = case["params"]
    f.text(case.get("region", ""))
    f.texts(params.get("InstanceIds", []))
    f.optional_bool(params.get("ForceReboot"))
    f.byte({None: 0, "SOFT": 1, "HARD": 2, "SOFT_FIRST": 3}[params.get("StopType")])
    order = [{"InstanceIds": 0, "ForceReboot": 1, "StopType": 2}[k] for k in params if k in ("InstanceIds", "ForceReboot", "StopType")]
    f.byte(len(order))
    for item in order:
        f.byte(item)
    f.optional_int(params.get("Offset"))
    f.optional_int(params.get("Limit"))
    for _ in range(6):  # gateway, content_type, the TC3 signed headers, language, request_client,
        f.byte(0)       # send_signature_method: the defaults
    f.text(service)
    return f.out


def huawei(case, endpoint=None, service=None):
    f = common(case, "huawei", endpoint)
    params = case["params"]
    f.text(case.get("project_id", ""))
    f.text(case.get("region", ""))
    f.byte(1 if params.get("type") == "HARD" else 0)
    f.texts(s["id"] if isinstance(s, dict) else s for s in params.get("servers", []))
    f.text(params.get("job_id", ""))
    f.text(params.get("server_id", ""))
    f.byte(1 if params.get("body_order") == "documentation" else 0)
    for _ in range(3):  # project_id_header, content_type_header, sign_unsigned_payload: the defaults
        f.byte(0)
    if service is None:
        f.byte(0)
    else:
        f.byte(1)
        f.text(service)
    return f.out


def baidu(case, endpoint=None):
    f = common(case, "baidu", endpoint)
    params = case["params"]
    f.text(case.get("region", ""))
    f.text(params.get("instanceId", ""))
    f.byte(1 if params.get("forceStop") else 0)
    for _ in range(3):  # expiration, signed-header set, content type: the defaults
        f.byte(0)
    return f.out


ENCODERS = {"alibaba": alibaba, "tencent": tencent, "huawei": huawei, "baidu": baidu}


def cases():
    """(provider, name, case, signs) for every vector folder, invalid case and sampled generated case."""
    for provider in ENCODERS:
        for case_file in sorted((DATA / provider).glob("*/*/case.json")):
            yield provider, f"{case_file.parent.parent.name}-{case_file.parent.name}", json.loads(case_file.read_text()), True
        for path in sorted((DATA / provider).glob("*/generated.jsonl")):
            lines = [line for line in path.read_text().splitlines() if line.strip()]
            for number in range(0, len(lines), GENERATED_SAMPLE):
                yield provider, f"{path.parent.name}-generated-{number + 1}", json.loads(lines[number])["case"], True
        for path in sorted((DATA / provider / "invalid").glob("*.json")):
            yield provider, f"invalid-{path.stem}", json.loads(path.read_text())["case"], False


def changed(folder, **changes):
    """The case of a vector folder with top-level fields or credentials replaced."""
    case = json.loads((DATA / folder / "case.json").read_text())
    for key, value in changes.items():
        if key in ("access_key_id", "security_token"):
            case["credentials"][key] = value
        else:
            case[key] = value
    return case


ALIBABA_CASE = "alibaba/acs3-hmac-sha256/a0-cli-example"
TENCENT_CASE = "tencent/tc3-hmac-sha256/t1-post-json"
HUAWEI_CASE = "huawei/sdk-hmac-sha256/h1_sdk_soft_two_servers"
BAIDU_CASE = "baidu/bce-auth-v1/b3-reboot-force-stop"

# The classes the fuzz targets found (issue 11, item 2): (target, file, input bytes).
HOLES = [
    # An endpoint set through the options struct reaches url() and the Host header unchecked.
    ("alibaba_signer", "hole-endpoint-host-crlf",
     alibaba(changed(ALIBABA_CASE), endpoint=("https", "ecs.aliyuncs.com\r\nX-Injected: 1", 0))),
    ("alibaba_signer", "hole-endpoint-host-empty-label", alibaba(changed(ALIBABA_CASE), endpoint=("https", "a..b", 0))),
    ("alibaba_signer", "hole-endpoint-scheme", alibaba(changed(ALIBABA_CASE), endpoint=("ftp", "ecs.aliyuncs.com", 0))),
    ("tencent_signer", "hole-endpoint-host-path",
     tencent(changed(TENCENT_CASE), endpoint=("https", "cvm.tencentcloudapi.com/x?", 0))),
    ("huawei_signer", "hole-endpoint-host-dash-label", huawei(changed(HUAWEI_CASE), endpoint=("https", "-", 0))),
    ("baidu_signer", "hole-endpoint-host-userinfo",
     baidu(changed(BAIDU_CASE), endpoint=("https", "user@bcc.bj.baidubce.com", 0))),
    ("baidu_signer", "hole-endpoint-scheme-empty", baidu(changed(BAIDU_CASE), endpoint=("", "bcc.bj.baidubce.com", 0))),
    # An access key id that rewrites the Authorization header's structure.
    ("alibaba_signer", "hole-access-key-id-comma",
     alibaba(changed(ALIBABA_CASE, access_key_id="AK,SignedHeaders=host,Signature=00"))),
    ("tencent_signer", "hole-secret-id-comma-space",
     tencent(changed(TENCENT_CASE, access_key_id="AKID, SignedHeaders=host, Signature=00"))),
    ("tencent_signer", "hole-secret-id-slash", tencent(changed(TENCENT_CASE, access_key_id="AKID/2019-01-01/cvm"))),
    ("huawei_signer", "hole-v11-access-key-id-slash",
     huawei(changed(HUAWEI_CASE, signature="v11-hmac-sha256", access_key_id="QTWAOYTTINDUT2QVKYUC/x"))),
    # A service name written into the credential scope unchecked.
    ("tencent_signer", "hole-tc3-service-slash", tencent(changed(TENCENT_CASE), service="cvm/x")),
    ("huawei_signer", "hole-v11-service-slash", huawei(changed(HUAWEI_CASE, signature="v11-hmac-sha256"), service="ecs/x")),
    ("huawei_signer", "hole-v11-service-crlf",
     huawei(changed(HUAWEI_CASE, signature="v11-hmac-sha256"), service="ecs\r\nX-Injected: 1")),
    # The same classes through a case (parse_endpoint accepts empty and '-' labels).
    ("cli_case", "hole-endpoint-empty-label.json", json.dumps(changed(ALIBABA_CASE, endpoint="a..b")).encode()),
    ("cli_case", "hole-endpoint-dash-label.json", json.dumps(changed(TENCENT_CASE, endpoint="-.example.com")).encode()),
    ("cli_case", "hole-access-key-id-comma.json",
     json.dumps(changed(ALIBABA_CASE, access_key_id="AK,SignedHeaders=host,Signature=00")).encode()),
    ("cli_case", "hole-v11-access-key-id-slash.json",
     json.dumps(changed(HUAWEI_CASE, signature="v11-hmac-sha256", access_key_id="QTWAOYTTINDUT2QVKYUC/x")).encode()),
]


def main():
    targets = ["cli_case"] + [f"{provider}_signer" for provider in ENCODERS]
    for target in targets:
        folder = CORPUS / target
        folder.mkdir(parents=True, exist_ok=True)
        for old in [*folder.glob("seed-*"), *folder.glob("hole-*")]:
            old.unlink()
    written = {target: 0 for target in targets}
    for provider, name, case, signs in cases():
        (CORPUS / "cli_case" / f"seed-{provider}-{name}.json").write_text(json.dumps(case) + "\n")
        written["cli_case"] += 1
        if not signs:
            continue
        try:
            encoded = ENCODERS[provider](case)
        except (KeyError, ValueError) as skipped:  # a case outside the signer target's fields
            print(f"skipped {provider}/{name}: {skipped!r}", file=sys.stderr)
            continue
        (CORPUS / f"{provider}_signer" / f"seed-{name}").write_bytes(bytes(encoded))
        written[f"{provider}_signer"] += 1
    for target, name, data in HOLES:
        (CORPUS / target / name).write_bytes(bytes(data))
    for target, count in written.items():
        print(f"{target}: {count} seeds, {sum(1 for hole in HOLES if hole[0] == target)} holes")


if __name__ == "__main__":
    main()
