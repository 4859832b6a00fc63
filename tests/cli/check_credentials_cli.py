#!/usr/bin/env python3
"""Drives `cloudreboot whoami`, `sign --profile` and `plan --profile` over a fake HOME holding each
provider's CLI and SDK files (tests/data/credentials: written from the vendors' documented
examples), and checks docs/cli.md's rules: which source wins, that a case's or a group's own
"credentials" still win, that a malformed file is refused naming the file, the line and the field,
that the metadata service is asked only when allowed, and that no secret or token is ever printed.
"""
import argparse
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from check_cli import ENV_NAMES, Checker  # noqa: E402  (the same runner: a clean environment)

# Where each provider's files go under HOME, from tests/data/credentials/<provider>/.
FILES = {
    "alibaba": {"config.json": ".aliyun/config.json", "credentials": ".alibabacloud/credentials"},
    "tencent": {"credentials": ".tencentcloud/credentials", "default.credential": ".tccli/default.credential"},
    "huawei": {"credentials": ".huaweicloud/credentials"},
    "baidu": {"config.json": ".bce/config.json"},
}
# Variables that would point a chain away from the fake HOME.
CHAIN_VARIABLES = ("ALIBABA_CLOUD_PROFILE", "ALIBABA_CLOUD_CONFIG_FILE", "ALIBABA_CLOUD_CREDENTIALS_FILE",
                   "ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "ALIBABA_CLOUD_ECS_METADATA", "TENCENTCLOUD_CREDENTIALS_FILE",
                   "TCCLI_PROFILE", "TENCENTCLOUD_SECURITY_TOKEN", "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
                   "HUAWEICLOUD_SDK_PROJECT_ID", "BCE_SECURITY_TOKEN", "CLOUDREBOOT_METADATA", "USERPROFILE")
TIME = "2026-11-22T09:10:11Z"


class Home:
    """A fake HOME with the samples copied in; `env()` runs the CLI in it."""

    def __init__(self, root: pathlib.Path, data: pathlib.Path):
        self.root = root
        for provider, files in FILES.items():
            for name, where in files.items():
                target = root / where
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(data / provider / name, target)

    def env(self, **extra) -> dict:
        out = {"HOME": str(self.root)}
        out.update(extra)
        return out

    def path(self, provider: str, name: str) -> pathlib.Path:
        return self.root / FILES[provider][name]


def runner(cli: str) -> Checker:
    c = Checker(cli)
    plain_run = c.run

    def run(args, stdin_text="", env=None):
        # Drop the chain's own switches as well as the key variables the base runner drops.
        saved = {name: os.environ.pop(name) for name in CHAIN_VARIABLES if name in os.environ}
        try:
            return plain_run(args, stdin_text=stdin_text, env=env)
        finally:
            os.environ.update(saved)

    c.run = run
    return c


def secrets_of(data: pathlib.Path) -> list:
    """Every secret and token in the samples (values of the secret and token fields), to be absent
    from every output."""
    found = []
    pattern = re.compile(r'"?(access_key_secret|secret_access_key|secretKey|secret_key|sk|sts_token|security_token|'
                         r'token|access_token|refreshToken|accessToken)"?\s*[:=]\s*"?([^"\s,#;]+)')
    for provider in FILES:
        for name in FILES[provider]:
            for match in pattern.finditer((data / provider / name).read_text()):
                if len(match.group(2)) >= 8:
                    found.append(match.group(2))
    return found


def whoami(c: Checker, provider: str, home: Home, *extra, env=None):
    return c.run(["whoami", "--provider", provider, *extra], env=home.env(**(env or {})))


def check_whoami(c: Checker, home: Home, secrets: list) -> None:
    # (provider, --profile or None, source, origin's file and profile, the full key id, expiration)
    want = [
        ("alibaba", None, "cli_profile", ".aliyun/config.json [AK]", "LTAI5tQ8sX2nVp4kJm6rD9wE", None),
        ("alibaba", "StsToken", "cli_profile", ".aliyun/config.json [StsToken]", "STS.NUgYrLnoC37mZZCNnAbez2EEv",
         "2026-11-22T10:10:11Z"),
        ("tencent", None, "credentials_file", ".tencentcloud/credentials [default]",
         "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", None),
        ("tencent", "prod", "credentials_file", ".tencentcloud/credentials [prod]",
         "AKIDq5R2vLm8Nx4tYw7kPz3sJd6hFb9cEXAMP", None),
        ("huawei", None, "credentials_file", ".huaweicloud/credentials [basic]", "HPUAEXAMPLEPROXJ4VQ8", None),
        ("huawei", "temporary", "credentials_file", ".huaweicloud/credentials [temporary]", "HST3EXAMPLE9KQ2W7ZP1",
         None),
        ("baidu", None, "cli_profile", ".bce/config.json [prod]", "f1c9d2e3a4b5467890abcdef12345678", None),
        ("baidu", "dev", "cli_profile", ".bce/config.json [dev]", "a2b3c4d5e6f74890bcdef0123456789a", None),
    ]
    for provider, profile, source, origin, key_id, expiration in want:
        what = f"whoami {provider}" + (f" --profile {profile}" if profile else "")
        result = whoami(c, provider, home, *(["--profile", profile] if profile else []))
        if not c.check(result.returncode == 0, f"{what}: exits 0", result.stderr.strip()):
            continue
        got = json.loads(result.stdout)
        c.check(sorted(got) == ["access_key_id", "expiration", "origin", "provider", "source"],
                f"{what}: prints exactly provider, source, origin, access_key_id, expiration", result.stdout)
        c.check(got["provider"] == provider and got["source"] == source, f"{what}: source {source}", result.stdout)
        c.check(got["origin"] == f"{home.root}/{origin}", f"{what}: origin is the file and profile", result.stdout)
        c.check(got["expiration"] == expiration, f"{what}: expiration {expiration}", result.stdout)
        masked = got["access_key_id"]
        c.check(masked != key_id and len(masked) == len(key_id) and masked[:4] == key_id[:4]
                and masked[-3:] == key_id[-3:] and set(masked[4:-3]) == {"*"},
                f"{what}: the key id is masked (first 4 and last 3 kept)", masked)
        c.check(all(s not in result.stdout + result.stderr for s in secrets), f"{what}: prints no secret or token")

    # The environment wins over the files; a named profile wins over the environment.
    for provider, (id_name, secret_name, _) in ENV_NAMES.items():
        env = {id_name: "ENVKEYID0123456789", secret_name: "env-secret-0123456789"}
        result = whoami(c, provider, home, env=env)
        got = json.loads(result.stdout) if result.returncode == 0 else {}
        c.check(got.get("source") == "environment" and got.get("origin") == id_name,
                f"whoami {provider}: {id_name} wins over the files", result.stdout + result.stderr)
        c.check("env-secret-0123456789" not in result.stdout + result.stderr, f"whoami {provider}: no secret")
    named = whoami(c, "tencent", home, "--profile", "prod",
                   env={"TENCENTCLOUD_SECRET_ID": "ENVKEYID0123456789", "TENCENTCLOUD_SECRET_KEY": "x" * 20})
    c.check(named.returncode == 0 and json.loads(named.stdout)["origin"].endswith("[prod]"),
            "whoami tencent --profile prod: the named profile wins over the environment", named.stderr.strip())

    # Absent sources and refusals.
    missing = whoami(c, "baidu", home, "--profile", "staging")
    c.check(missing.returncode == 2 and "profile" in missing.stderr and "staging" in missing.stderr
            and missing.stdout == "", "whoami --profile staging (absent): exits 2 naming the profile",
            missing.stderr.strip())
    with tempfile.TemporaryDirectory() as empty:
        nothing = c.run(["whoami", "--provider", "huawei"], env={"HOME": empty})
        c.check(nothing.returncode == 2 and "credentials" in nothing.stderr and "HUAWEICLOUD_SDK_AK" in nothing.stderr
                and "not tried" in nothing.stderr,
                "whoami with nothing anywhere: exits 2 listing what was tried (metadata not tried)",
                nothing.stderr.strip())
    # A profile that asks for the instance role needs the metadata service allowed.
    role = whoami(c, "alibaba", home, "--profile", "EcsRamRole")
    c.check(role.returncode == 2 and "--metadata" in role.stderr and "CLOUDREBOOT_METADATA" in role.stderr,
            "whoami --profile EcsRamRole without --metadata: exits 2 naming --metadata", role.stderr.strip())
    # Allowed, but nothing listens where the metadata service would be: it is unreachable, never hangs.
    unreachable = whoami(c, "alibaba", home, "--profile", "EcsRamRole", "--metadata", "--connect-to", "127.0.0.1:1")
    c.check(unreachable.returncode != 0 and "100.100.100.200" in unreachable.stderr,
            "whoami --profile EcsRamRole --metadata with no metadata service: fails naming it",
            unreachable.stderr.strip())
    unsupported = whoami(c, "alibaba", home, "--profile", "RamRoleArn")
    c.check(unsupported.returncode != 0 and "AssumeRole" in unsupported.stderr,
            "whoami --profile RamRoleArn: refused, naming the call to make", unsupported.stderr.strip())
    for bad in (["--profile"], ["--connect-to", "nowhere"], ["--frobnicate"]):
        result = whoami(c, "alibaba", home, *bad)
        c.check(result.returncode == 2, f"whoami {' '.join(bad)}: exits 2", result.stderr.strip())
    c.check(c.run(["whoami"]).returncode == 2, "whoami without --provider exits 2")
    c.check(c.run(["whoami", "--provider", "oracle"]).returncode == 2, "whoami --provider oracle exits 2")


# Malformed files: (provider, file, the text's change, the profile asked for, the field the error names).
def malformed_cases(home: Home) -> list:
    out = []

    def drop_line(text: str, needle: str, occurrence: int = 0):
        lines = text.split("\n")
        hits = [i for i, line in enumerate(lines) if needle in line]
        index = hits[occurrence]
        return "\n".join(lines[:index] + lines[index + 1:]), index + 1

    def with_value(text: str, needle: str, value: str):
        lines = text.split("\n")
        index = next(i for i, line in enumerate(lines) if needle in line)
        lines[index] = value
        return "\n".join(lines), index + 1

    ali = home.path("alibaba", "config.json").read_text()
    text, _ = drop_line(ali, '"access_key_secret"', 0)
    out.append(("alibaba", "config.json", text, "AK", "profiles[0].access_key_secret"))
    text, line = with_value(ali, '"sts_expiration": 1795342211', '            "sts_expiration": "tomorrow",')
    out.append(("alibaba", "config.json", text, "StsToken", "profiles[1].sts_expiration"))
    ali_ini = home.path("alibaba", "credentials").read_text()
    out.append(("alibaba", "credentials", ali_ini.replace("type = access_key ", "type = acess_key "), "default",
                "[default] type"))
    tc = home.path("tencent", "credentials").read_text()
    text, _ = drop_line(tc, "secret_key", 1)
    out.append(("tencent", "credentials", text, "prod", "[prod] secret_key"))
    hw = home.path("huawei", "credentials").read_text()
    text, _ = drop_line(hw, "sk =", 0)
    out.append(("huawei", "credentials", text, "basic", "[basic] sk"))
    bce = home.path("baidu", "config.json").read_text()
    text, _ = drop_line(bce, '"secret_access_key"', 1)
    out.append(("baidu", "config.json", text, "dev", "profiles[1].secret_access_key"))
    return out


def check_malformed(c: Checker, data: pathlib.Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        pristine = Home(pathlib.Path(scratch), data)
        cases = malformed_cases(pristine)
    for provider, name, text, profile, field in cases:
        with tempfile.TemporaryDirectory() as scratch:
            home = Home(pathlib.Path(scratch), data)
            path = home.path(provider, name)
            path.write_text(text)
            what = f"whoami {provider} --profile {profile} with a broken {name}"
            result = whoami(c, provider, home, "--profile", profile)
            named = re.search(re.escape(str(path)) + r":(\d+): " + re.escape(field), result.stderr)
            c.check(result.returncode == 2 and named is not None and result.stdout == "",
                    f"{what}: exits 2 naming {path.name}, the line and {field}", result.stderr.strip())
            if named:
                line = int(named.group(1))
                lines = text.split("\n")
                c.check(1 <= line <= len(lines), f"{what}: the line named is in the file", named.group(0))
            # sign goes through the same chain, so the same file error stops it.
            signed = c.run(["sign", "--profile", profile, "-"], stdin_text=json.dumps(bare_case(provider)),
                           env=home.env())
            c.check(signed.returncode == 2 and str(path) in signed.stderr and field in signed.stderr,
                    f"sign {provider} --profile {profile} with a broken {name}: refused the same way",
                    signed.stderr.strip())
    # A file that cannot be parsed at all names the file and its reader.
    with tempfile.TemporaryDirectory() as scratch:
        home = Home(pathlib.Path(scratch), data)
        path = home.path("baidu", "config.json")
        path.write_text(path.read_text()[:100])
        result = whoami(c, "baidu", home)
        c.check(result.returncode == 2 and str(path) in result.stderr and "JSON" in result.stderr,
                "whoami baidu with a truncated config.json: exits 2 naming the file and JSON", result.stderr.strip())


CASES = {
    "alibaba": {"provider": "alibaba", "action": "RebootInstances", "region": "cn-hangzhou", "time": TIME,
                "nonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
                "params": {"InstanceId": ["i-bp67acfmxazb4ph00001"], "DryRun": True}},
    "tencent": {"provider": "tencent", "action": "RebootInstances", "region": "ap-guangzhou", "time": TIME,
                "nonce": "11886", "params": {"InstanceIds": ["ins-r8hr2upy"], "StopType": "SOFT"}},
    "huawei": {"provider": "huawei", "action": "BatchRebootServers", "region": "cn-north-4", "time": TIME,
               "project_id": "77b6a44cba5143ab91d13ab9a8ff44fd",
               "params": {"type": "SOFT", "servers": ["616fb98f-46ca-475e-917e-2563e5a8cd19"]}},
    "baidu": {"provider": "baidu", "action": "RebootInstance", "region": "bj", "time": TIME,
              "params": {"instanceId": "i-YufwpQAe", "forceStop": False}},
}
# The keys each profile holds (from tests/data/credentials), as a case's "credentials".
PROFILE_KEYS = {
    ("alibaba", "AK"): {"access_key_id": "LTAI5tQ8sX2nVp4kJm6rD9wE", "access_key_secret": "Hk3wZr8uNq2LmV5tYp7aXc4bEe9sDf"},
    ("alibaba", "StsToken"): {"access_key_id": "STS.NUgYrLnoC37mZZCNnAbez2EEv",
                              "access_key_secret": "8rWmD3FQ6nDLkGw7Ku2oTQ9U8vjJ6VRvTh4p1Rn8aZxJ",
                              "security_token": "CAIS8QF1q6Ft5B2yfSjIr5bSMeH1gZ1v0ZqJdUPdp2gPYvxJ0rXxtHF0rE2fFWu0gdeMYO"},
    ("tencent", "prod"): {"access_key_id": "AKIDq5R2vLm8Nx4tYw7kPz3sJd6hFb9cEXAMP",
                          "access_key_secret": "Zx8vT2mQ5nR9wL4kY7pB3sH6dF1gJ0cEXAMP"},
    ("huawei", "temporary"): {"access_key_id": "HST3EXAMPLE9KQ2W7ZP1",
                              "access_key_secret": "Rw6Tn2Vb9Xm4Lq8Ks3Jd7Hf5Gc1Pz0YEXAMPLE",
                              "security_token": "gQpjbi1ub3J0aC00jD4EjEXAMPLEsecuritytokenSBtaGFuZ2hhaS0x"},
    ("baidu", "dev"): {"access_key_id": "a2b3c4d5e6f74890bcdef0123456789a",
                       "access_key_secret": "9f8e7d6c5b4a4f3e2d1c0b9a8f7e6d5c"},
}


def bare_case(provider: str) -> dict:
    return json.loads(json.dumps(CASES[provider]))


def check_sign_profile(c: Checker, home: Home) -> None:
    for (provider, profile), keys in PROFILE_KEYS.items():
        what = f"sign {provider} --profile {profile}"
        inline = dict(bare_case(provider), credentials=keys)
        want = c.run(["sign", "-"], stdin_text=json.dumps(inline), env=home.env())
        got = c.run(["sign", "--profile", profile, "-"], stdin_text=json.dumps(bare_case(provider)), env=home.env())
        c.check(want.returncode == 0 and got.returncode == 0 and got.stdout == want.stdout,
                f"{what}: signs as the profile's keys written into the case", got.stderr.strip())
        c.check(keys["access_key_secret"] not in got.stdout + got.stderr, f"{what}: prints no secret")
        # The case's own credentials still win over the profile.
        own = dict(bare_case(provider), credentials={"access_key_id": "CASEKEYID01234567", "access_key_secret": "s" * 20})
        plain = c.run(["sign", "-"], stdin_text=json.dumps(own), env=home.env())
        with_profile = c.run(["sign", "--profile", profile, "-"], stdin_text=json.dumps(own), env=home.env())
        c.check(plain.returncode == 0 and with_profile.stdout == plain.stdout and "CASEKEYID01234567" in plain.stdout,
                f"{what}: a case's own credentials win", with_profile.stderr.strip())
    # A Huawei case without project_id takes the profile's.
    case = bare_case("huawei")
    del case["project_id"]
    got = c.run(["sign", "--profile", "basic", "-"], stdin_text=json.dumps(case), env=home.env())
    c.check(got.returncode == 0 and "/v1/0a6c6bd54a0e4f04a5b0b8e2c6d8f1a3/" in got.stdout,
            "sign huawei --profile basic without project_id: the profile's project_id is in the path",
            got.stdout + got.stderr)
    # The verbs that sign share the options.
    for verb in ("curl", "explain"):
        got = c.run([verb, "--profile", "prod", "-"], stdin_text=json.dumps(bare_case("tencent")), env=home.env())
        c.check(got.returncode == 0 and "AKIDq5R2vLm8Nx4tYw7kPz3sJd6hFb9cEXAMP" in got.stdout,
                f"{verb} --profile prod: signs with the profile", got.stderr.strip())
    two = c.run(["sign", "a.json", "b.json"], env=home.env())
    c.check(two.returncode == 2, "sign with two files exits 2", two.stderr.strip())


def check_plan_profile(c: Checker, home: Home) -> None:
    groups = [{"provider": "tencent", "region": "ap-guangzhou", "instances": ["ins-r8hr2upy"]},
              {"provider": "baidu", "region": "bj", "instances": ["i-YufwpQAe"]}]
    inline = [dict(groups[0], credentials=PROFILE_KEYS[("tencent", "prod")]),
              dict(groups[1], credentials=PROFILE_KEYS[("baidu", "dev")])]
    doc = lambda g: json.dumps({"groups": g, "policy": {"preflight": False}, "seed": 7})
    want = c.run(["plan", "--time", TIME, "-"], stdin_text=doc(inline), env=home.env())
    # One --profile names the profile in every provider's files; each group is planned with its own.
    for index, profile in ((0, "prod"), (1, "dev")):
        got = c.run(["plan", "--time", TIME, "--profile", profile, "-"], stdin_text=doc([groups[index]]), env=home.env())
        expected = c.run(["plan", "--time", TIME, "-"], stdin_text=doc([inline[index]]), env=home.env())
        c.check(want.returncode == 0 and got.returncode == 0 and got.stdout == expected.stdout and got.stdout,
                f"plan --profile {profile}: plans as the profile's keys written into the group", got.stderr.strip())
    missing = c.run(["plan", "--time", TIME, "--profile", "dev", "-"], stdin_text=doc(groups), env=home.env())
    c.check(missing.returncode == 2 and "groups[0].credentials" in missing.stderr and "dev" in missing.stderr
            and missing.stdout == "", "plan --profile dev: the group whose provider has no such profile is named",
            missing.stderr.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", required=True)
    parser.add_argument("--data", required=True, type=pathlib.Path, help="tests/data/credentials")
    args = parser.parse_args()
    c = runner(args.cli)
    secrets = secrets_of(args.data)
    c.check(len(secrets) >= 10, f"the samples' secrets are found ({len(secrets)})")
    with tempfile.TemporaryDirectory() as scratch:
        home = Home(pathlib.Path(scratch), args.data)
        check_whoami(c, home, secrets)
        check_sign_profile(c, home)
        check_plan_profile(c, home)
    check_malformed(c, args.data)
    print(f"{c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
