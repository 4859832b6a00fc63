#!/usr/bin/env python3
"""The list_projects vectors of tests/huawei/signing.cpp, derived from first principles.

Builds the SDK-HMAC-SHA256 canonical request of GET https://iam.myhuaweicloud.com/v3/projects?name=<region>
by the rules of Huawei's API signing guide (https://support.huaweicloud.com/devg-apisign/api-sign-algorithm-001.html):
URI with a trailing '/', the query encoded and sorted, header names lower-cased and sorted, the
empty body's SHA-256; then the string to sign and the HMAC with Python's hashlib and hmac. It uses
nothing of cloudreboot, so the test compares two independent implementations.
"""
import hashlib
import hmac

EMPTY = hashlib.sha256(b"").hexdigest()


def sign(ak, sk, date, region, headers):
    canonical_headers = "".join(f"{name.lower()}:{value.strip()}\n" for name, value in sorted(headers, key=lambda h: h[0].lower()))
    signed = ";".join(sorted(name.lower() for name, _ in headers))
    canonical = "\n".join(["GET", "/v3/projects/", f"name={region}", canonical_headers, signed, EMPTY])
    to_sign = "\n".join(["SDK-HMAC-SHA256", date, hashlib.sha256(canonical.encode()).hexdigest()])
    signature = hmac.new(sk.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    return canonical, to_sign, f"SDK-HMAC-SHA256 Access={ak}, SignedHeaders={signed}, Signature={signature}"


if __name__ == "__main__":
    date = "20261122T091011Z"
    base = [("content-type", "application/json"), ("X-Sdk-Date", date), ("host", "iam.myhuaweicloud.com")]
    for name, ak, sk, headers in [
        ("keys", "HPUAEXAMPLEPROXJ4VQ8", "qz3WjR7mXk2Lp9Vt5Yb8Nc4Hd6Fg1Js0EXAMPLE", base),
        ("security token", "HST3EXAMPLE9KQ2W7ZP1", "Rw6Tn2Vb9Xm4Lq8Ks3Jd7Hf5Gc1Pz0YEXAMPLE",
         [("X-Security-Token", "gQpjbi1ub3J0aC00jD4EjEXAMPLEsecuritytokenSBtaGFuZ2hhaS0x")] + base),
    ]:
        canonical, to_sign, authorization = sign(ak, sk, date, "cn-north-4", headers)
        print(f"# {name}\n{canonical!r}\n{to_sign!r}\n{authorization}\n")
