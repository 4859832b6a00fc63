#!/usr/bin/env python3
"""Checks the rules of docs/conventions.md that a reader can get wrong without a compiler noticing.

- Every public enum has `to_string`: an `enum class` declared at namespace scope in a header under
  include/, outside `detail/` folders and `namespace detail` blocks, has a `to_string(<enum>)`
  overload somewhere in include/ (the CLI, reports and errors print enums by these names).
- Public and detail apart: no header outside a `detail/` folder opens a `detail` namespace; the
  internals of `<folder>/<header>.hpp` are in `<folder>/detail/` (docs/conventions.md, "Public and
  detail").

--self-test runs the check on a small tree that breaks the rule and on one that keeps it.
"""
import argparse
import pathlib
import re
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
ENUM = re.compile(r'^enum class (\w+)', re.M)  # unindented: at namespace scope
DETAIL_OPEN = re.compile(r'^namespace detail \{', re.M)
DETAIL_CLOSE = re.compile(r'^\}  // namespace detail', re.M)
ANY_DETAIL_OPEN = re.compile(r'^\s*namespace (\w+::)*detail \{', re.M)


def public_enums(path: pathlib.Path, text: str):
    if "detail" in path.parts:
        return
    detail_spans = []
    for opened in DETAIL_OPEN.finditer(text):
        closed = DETAIL_CLOSE.search(text, opened.end())
        detail_spans.append((opened.start(), closed.end() if closed else len(text)))
    for match in ENUM.finditer(text):
        if not any(start <= match.start() < end for start, end in detail_spans):
            yield match.group(1), text.count("\n", 0, match.start()) + 1


def check(include: pathlib.Path) -> list[str]:
    texts = {path: path.read_text(encoding="utf-8") for path in sorted(include.rglob("*.hpp"))}
    everything = "\n".join(texts.values())
    problems = []
    for path, text in texts.items():
        for name, line in public_enums(path, text):
            if not re.search(r'to_string\((const )?(\w+::)*' + name + r'\b', everything):
                problems.append(f"{path.relative_to(include.parent)}:{line}: enum {name} has no to_string")
        if "detail" not in path.parts:
            for match in ANY_DETAIL_OPEN.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(include.parent)}:{line}: a public header opens a detail namespace")
    return problems


def self_test() -> int:
    broken = "namespace x {\nenum class colour { red };\n}\n"
    kept = broken + "constexpr const char* to_string(colour) { return \"red\"; }\n"
    hidden = "namespace detail {\nenum class inner { a };\n}  // namespace detail\n"
    internals = "namespace x::detail {\nint helper();\n}\n"
    ok = True
    for name, files, want in (("missing to_string", {"a.hpp": broken}, 1),
                              ("to_string present", {"a.hpp": kept}, 0),
                              ("detail block in a public header", {"a.hpp": hidden}, 1),
                              ("detail namespace in a public header", {"a.hpp": internals}, 1),
                              ("detail block in a detail header", {"detail/a.hpp": hidden}, 0),
                              ("detail folder", {"detail/a.hpp": broken}, 0)):
        with tempfile.TemporaryDirectory() as tmp:
            include = pathlib.Path(tmp) / "include"
            for relative, text in files.items():
                (include / relative).parent.mkdir(parents=True, exist_ok=True)
                (include / relative).write_text(text)
            found = len(check(include))
            print(f"self-test {name}: {found} problem(s), expected {want}")
            ok = ok and found == want
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    problems = check(ROOT / "include")
    for problem in problems:
        print(problem)
    print(f"conventions: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
