#!/usr/bin/env python3
"""Writes the tables generated from the library's constexpr tables into docs/<provider>.md.

    python3 tools/docs_tables.py              # rewrite every generated table in docs/
    python3 tools/docs_tables.py --check      # exit 1, naming each table, when a page is stale
    python3 tools/docs_tables.py --self-test  # a changed, missing or unknown table must fail --check

tools/docs_tables.cpp prints, for every provider of core/provider.hpp's all_providers, its error
codes with their advice, its instance states and its state transitions (Huawei also its job
states and job transitions), each after a line `@@ <provider> <name>`. A page holds each of its
tables between two marker lines:

    <!-- generated: <name> -->
    | ... the table ... |
    <!-- end generated -->

--check also fails when a project file points outside the repository (`../shared/`, a `shared/spec/`
or `shared/seeds/` folder users do not have): facts are cited from docs/ and the vendors' URLs.
single_include/ is left out (tools/amalgamate.py makes it from include/, which is scanned).

Every table the tool prints must have its markers in docs/<provider>.md, and every marker must
name a table the tool prints; either mistake fails, in both modes. The tool is compiled with
--cxx (g++ by default) against include/, unless --tool names a built one (CMake builds the
docs_tables target when tests are on). Exit status 0 when fresh (or written), 1 when stale or
wrong, 2 for bad arguments or a tool that does not build or run.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARKER = re.compile(r'^<!-- generated: ([A-Za-z0-9_.-]+) -->$')
END = '<!-- end generated -->'
DIFF_LINES = 12  # per stale table: enough to see what changed, short enough for a CI log


OUTSIDE = re.compile(r'\.\./shared/|\bshared/(?:spec|seeds)/')


def outside_references(root: str) -> list[str]:
    """`file:line: text` for every line of a project file that points outside the repository."""
    listed = subprocess.run(['git', '-C', root, 'ls-files', '-z'], capture_output=True, text=True)
    if listed.returncode == 0:
        files = [f for f in listed.stdout.split('\0') if f]
    else:  # not a git checkout (a copy, the self-test): every file
        files = [os.path.relpath(os.path.join(d, f), root) for d, _, names in os.walk(root) for f in names]
    found = []
    for name in sorted(files):
        if name.startswith(('single_include/', 'build/', '.git/')) or name == 'tools/docs_tables.py':
            continue
        try:
            with open(os.path.join(root, name), encoding='utf-8') as f:
                for number, line in enumerate(f, 1):
                    if OUTSIDE.search(line):
                        found.append('%s:%d: %s' % (name, number, line.strip()[:120]))
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue
    return found


class Failure(Exception):
    """A mistake in the pages or the tool's output: reported, exit status 1."""


def build_tool(cxx: str, workdir: str) -> str:
    binary = os.path.join(workdir, 'docs_tables')
    command = shlex.split(cxx) + ['-std=c++20', '-I', os.path.join(ROOT, 'include'),
                                  os.path.join(ROOT, 'tools', 'docs_tables.cpp'), '-o', binary]
    built = subprocess.run(command, capture_output=True, text=True)
    if built.returncode != 0:
        sys.stderr.write(built.stderr)
        raise SystemExit('docs_tables: tools/docs_tables.cpp does not build (%s)' % ' '.join(command))
    return binary


def generated_tables(tool: str) -> dict[str, dict[str, str]]:
    """{provider: {table name: table text}} from the tool's output."""
    ran = subprocess.run([tool], capture_output=True, text=True)
    if ran.returncode != 0:
        sys.stderr.write(ran.stderr)
        raise SystemExit('docs_tables: %s failed with status %d' % (tool, ran.returncode))
    tables: dict[str, dict[str, str]] = {}
    current: list[str] | None = None
    for line in ran.stdout.splitlines():
        if line.startswith('@@ '):
            provider, name = line[3:].split(' ', 1)
            if name in tables.setdefault(provider, {}):
                raise SystemExit('docs_tables: the tool printed %s %s twice' % (provider, name))
            current = []
            tables[provider][name] = current  # type: ignore[assignment]
        elif current is None:
            raise SystemExit('docs_tables: the tool printed a line before its first @@ line: %r' % line)
        else:
            current.append(line)
    return {p: {n: '\n'.join(lines) + '\n' for n, lines in named.items()} for p, named in tables.items()}


def splice(text: str, tables: dict[str, str], page: str) -> tuple[str, list[str]]:
    """The page with every generated table replaced, and the names of the tables that changed."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    seen: set[str] = set()
    changed: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        marker = MARKER.match(line.rstrip('\n'))
        out.append(line)
        i += 1
        if not marker:
            if line.rstrip('\n') == END:
                raise Failure('%s:%d: "%s" without a "<!-- generated: NAME -->" before it' % (page, i, END))
            continue
        name = marker.group(1)
        start = i
        while i < len(lines) and lines[i].rstrip('\n') != END:
            if MARKER.match(lines[i].rstrip('\n')):
                raise Failure('%s:%d: table %s is not closed before the next marker' % (page, start, name))
            i += 1
        if i == len(lines):
            raise Failure('%s:%d: table %s has no "%s"' % (page, start, name, END))
        if name not in tables:
            raise Failure('%s:%d: no generated table is named %s (the tool prints: %s)'
                          % (page, start, name, ', '.join(sorted(tables)) or 'none'))
        if name in seen:
            raise Failure('%s:%d: table %s appears twice' % (page, start, name))
        seen.add(name)
        old = ''.join(lines[start:i])
        if old != tables[name]:
            changed.append(name)
            diff = list(difflib.unified_diff(old.splitlines(keepends=True), tables[name].splitlines(keepends=True),
                                             '%s (%s, in the page)' % (page, name),
                                             '%s (%s, generated)' % (page, name), n=1))
            sys.stdout.writelines(diff[:DIFF_LINES])
            if len(diff) > DIFF_LINES:
                print('... (%d more lines of difference)' % (len(diff) - DIFF_LINES))
        out.append(tables[name])
        out.append(lines[i])
        i += 1
    missing = sorted(set(tables) - seen)
    if missing:
        raise Failure('%s: no markers for %s; add "<!-- generated: NAME -->" and "%s" where each belongs'
                      % (page, ', '.join(missing), END))
    return ''.join(out), changed


def run(docs: str, tool: str, check: bool) -> int:
    stale: list[str] = []
    try:
        for provider, tables in generated_tables(tool).items():
            page = os.path.join(docs, provider + '.md')
            if not os.path.exists(page):
                raise Failure('%s: missing; every provider of all_providers has a page' % page)
            with open(page, encoding='utf-8') as f:
                text = f.read()
            new, changed = splice(text, tables, os.path.relpath(page, ROOT))
            stale += ['%s %s' % (provider, name) for name in changed]
            if changed and not check:
                with open(page, 'w', encoding='utf-8', newline='') as f:
                    f.write(new)
    except Failure as failure:
        print('docs_tables: %s' % failure)
        return 1
    if check:
        outside = outside_references(ROOT)
        for line in outside:
            print('docs_tables: points outside the repository: ' + line)
        if outside:
            return 1
    if stale and check:
        print('docs_tables: stale: %s; run python3 tools/docs_tables.py' % ', '.join(stale))
        return 1
    print('docs_tables: %s' % ('%d tables rewritten' % len(stale) if stale else 'every table is fresh'))
    return 0


def self_test(tool: str) -> int:
    """--check passes on freshly written pages and fails for each kind of mistake."""
    failures = []
    with tempfile.TemporaryDirectory() as work:
        fresh = os.path.join(work, 'fresh')
        shutil.copytree(os.path.join(ROOT, 'docs'), fresh)
        quiet = open(os.devnull, 'w')
        saved, sys.stdout = sys.stdout, quiet
        try:
            if run(fresh, tool, check=False) != 0 or run(fresh, tool, check=True) != 0:
                failures.append('freshly written pages do not pass --check')
            page = os.path.join(fresh, 'huawei.md')
            with open(page, encoding='utf-8') as f:
                text = f.read()

            def fails(label: str, altered: str) -> None:
                copy = os.path.join(work, label)
                shutil.copytree(fresh, copy)
                with open(os.path.join(copy, 'huawei.md'), 'w', encoding='utf-8') as f:
                    f.write(altered)
                if run(copy, tool, check=True) != 1:
                    failures.append('--check passed although ' + label)

            first_row = re.search(r'<!-- generated: errors -->\n[^\n]*\n[^\n]*\n(\| `[^`]+` \| )(\d+)', text)
            if first_row is None:
                failures.append('huawei.md has no errors table to alter')
            else:
                status = first_row.group(2)
                fails('a-cell-changed', text[:first_row.start(2)] + str(int(status) + 1) + text[first_row.end(2):])
            last_row = text.index('\n<!-- end generated -->')
            fails('a-row-removed', text[:text.rindex('\n', 0, last_row)] + text[last_row:])
            fails('a-marker-removed', text.replace('<!-- generated: states -->\n', '', 1))
            fails('an-end-removed', text.replace(END + '\n', '', 1))
            fails('an-unknown-table', text + '\n<!-- generated: no-such-table -->\n' + END + '\n')
            tree = os.path.join(work, 'tree')
            os.makedirs(os.path.join(tree, 'cli'))
            with open(os.path.join(tree, 'cli', 'case.hpp'), 'w', encoding='utf-8') as f:
                f.write('// fine\n// Reading a case (../shared/spec/cli.md)\n')
            if outside_references(tree) != ['cli/case.hpp:2: // Reading a case (../shared/spec/cli.md)']:
                failures.append('a comment citing ../shared/spec is not found')
        finally:
            sys.stdout = saved
            quiet.close()
    for failure in failures:
        print('docs_tables self-test: ' + failure)
    print('docs_tables self-test: %s' % ('failed' if failures else 'passed'))
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument('--check', action='store_true', help='fail when a generated table is stale')
    mode.add_argument('--self-test', action='store_true', help='check that --check can fail')
    parser.add_argument('--tool', help='a built docs_tables program (default: compile tools/docs_tables.cpp)')
    parser.add_argument('--cxx', default='g++', help='the compiler for tools/docs_tables.cpp (default g++)')
    parser.add_argument('--docs', default=os.path.join(ROOT, 'docs'), help='the folder of the pages')
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        tool = args.tool or build_tool(args.cxx, work)
        if args.self_test:
            return self_test(tool)
        return run(args.docs, tool, args.check)


if __name__ == '__main__':
    sys.exit(main())
