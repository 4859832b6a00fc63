#!/usr/bin/env python3
"""TC3-HMAC-SHA256 with the hardened signed-header list, computed here with hashlib/hmac only.

Signs RebootInstances (the cli.md example case) with `content-type;host;x-tc-action;x-tc-region;x-tc-timestamp`
as Tencent's documentation describes TC3: lowercase header names, trimmed values, x-tc-action's value lowercased,
lines sorted by name. Writes the vector folder the tests compare the library with:

    python3 tools/vectors/tencent/hardened.py tests/data/tencent/tc3-hmac-sha256/t6-hardened-signed-headers
"""
import hashlib
import hmac
import json
import pathlib
import sys
from datetime import datetime, timezone

SECRET_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"
SECRET_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
TIME = "2026-11-22T09:10:11Z"
HOST = "cvm.tencentcloudapi.com"
ACTION, REGION, VERSION = "RebootInstances", "ap-guangzhou", "2017-03-12"
BODY = '{"InstanceIds":["ins-r8hr2upy"],"StopType":"SOFT"}'
CONTENT_TYPE = "application/json"


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def mac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def main(folder: pathlib.Path) -> None:
    when = datetime.strptime(TIME, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    timestamp = str(int(when.timestamp()))
    date = when.strftime("%Y-%m-%d")
    signed = {"content-type": CONTENT_TYPE, "host": HOST, "x-tc-action": ACTION.lower(), "x-tc-region": REGION,
              "x-tc-timestamp": timestamp}
    canonical_headers = "".join(f"{name}:{value.strip()}\n" for name, value in sorted(signed.items()))
    signed_headers = ";".join(sorted(signed))
    canonical_request = "\n".join(["POST", "/", "", canonical_headers, signed_headers, sha256_hex(BODY)])
    scope = f"{date}/cvm/tc3_request"
    string_to_sign = "\n".join(["TC3-HMAC-SHA256", timestamp, scope, sha256_hex(canonical_request)])
    secret_date = mac(("TC3" + SECRET_KEY).encode(), date)
    secret_service = mac(secret_date, "cvm")
    secret_signing = mac(secret_service, "tc3_request")
    signature = hmac.new(secret_signing, string_to_sign.encode(), hashlib.sha256).hexdigest()
    authorization = (f"TC3-HMAC-SHA256 Credential={SECRET_ID}/{scope}, SignedHeaders={signed_headers}, "
                     f"Signature={signature}")
    case = {"provider": "tencent", "action": ACTION, "signature": "tc3-hmac-sha256", "region": REGION, "time": TIME,
            "signed_headers": signed_headers,
            "credentials": {"access_key_id": SECRET_ID, "access_key_secret": SECRET_KEY},
            "params": {"InstanceIds": ["ins-r8hr2upy"], "StopType": "SOFT"}}
    # The headers in the order the Node SDK assembles them.
    request = {"method": "POST", "url": f"https://{HOST}/",
               "headers": {"Host": HOST, "X-TC-Action": ACTION, "X-TC-Region": REGION, "X-TC-Timestamp": timestamp,
                           "X-TC-Version": VERSION, "Content-Type": CONTENT_TYPE, "Authorization": authorization},
               "body": BODY}
    folder.mkdir(parents=True, exist_ok=True)
    files = {"canonical_request": canonical_request, "string_to_sign": string_to_sign, "signature": signature,
             "authorization": authorization, "signed_headers": signed_headers,
             "canonical_headers": canonical_headers, "credential_scope": scope}
    for name, text in files.items():
        (folder / f"{name}.txt").write_text(text)
    (folder / "case.json").write_text(json.dumps(case, indent=2) + "\n")
    (folder / "request.json").write_text(json.dumps(request, indent=2) + "\n")
    (folder / "SOURCE.md").write_text(
        "Derived vector: TC3 signing `x-tc-action`, `x-tc-region` and `x-tc-timestamp` besides `content-type` and "
        "`host` (signing_options::signed_headers = hardened), computed independently with Python's hashlib and hmac "
        "by `python3 tools/vectors/tencent/hardened.py " + str(folder) + "`.\n")


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]))
