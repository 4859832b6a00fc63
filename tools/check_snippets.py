#!/usr/bin/env python3
"""Compiles every C++ code block of the project's Markdown under the project's strict flags.

    python3 tools/check_snippets.py              # README.md, docs/ and every other Markdown file
    python3 tools/check_snippets.py --list       # what would be checked, and how
    python3 tools/check_snippets.py --self-test  # broken snippets must make the check fail

A ```cpp (or ```c++, ```cxx) block is compiled with -std=c++20 and the warnings of the library's own
headers (-Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wold-style-cast -Werror)
against include/, with g++ and, when installed, clang++-19 -stdlib=libc++ (--cxx chooses others).
An HTML comment on the line before the fence says what the block is (docs/conventions.md,
"Snippets in docs"):

    (none)                               a block defining main() is a program: compiled and linked;
                                         any other block is a fragment
    <!-- snippet: fragment -->           statements: the body of `int f()`, which sees the names of
                                         tools/snippet_prelude.hpp; its #include lines go before f
    <!-- snippet: declarations -->       namespace-scope code (functions, types), after the prelude
    <!-- snippet: program -->            a whole program: compiled and linked, not run
    <!-- snippet: run -->                a whole program: compiled, linked and run; it must exit 0,
                                         and a block marked <!-- snippet: output --> right after it
                                         must be exactly what it prints
    <!-- snippet: skip REASON -->        not compiled; the reason is required and listed

The fragments and declarations of one Markdown file share one translation unit per compiler (the
headers are parsed once); `#line` directives make every diagnostic name the Markdown file and line.
A failure names the block (file:line of its fence) and the compiler's first error. Exit status 0
when every block compiles (and runs as shown), 1 otherwise, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import io
import itertools
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parent.parent
PRELUDE = SOURCE_ROOT / "tools" / "snippet_prelude.hpp"

STANDARD = "-std=c++20"
WARNINGS = ["-Wall", "-Wextra", "-Wpedantic", "-Wconversion", "-Wsign-conversion", "-Wshadow",
            "-Wold-style-cast", "-Werror"]
CPP_LANGUAGES = {"cpp", "c++", "cxx"}
KINDS = {"fragment", "declarations", "program", "run", "skip", "output"}
# Directories that hold no Markdown of ours: build trees, dependencies, version control.
SKIPPED_DIRECTORIES = {".git", ".cache", "node_modules", "third_party", "third-party", "vendor", "external",
                       "_deps", "subprojects", "__pycache__"}
RUN_TIMEOUT_SECONDS = 60
COMPILE_TIMEOUT_SECONDS = 600

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
MARKER = re.compile(r"^\s*<!--\s*snippet:\s*(?P<body>.*?)\s*-->\s*$")
MARKER_START = re.compile(r"<!--\s*snippet\b")
MAIN = re.compile(r"\bint\s+main\s*\(")
INCLUDE = re.compile(r"^\s*#\s*include\b")
# An untagged block with these is C++ that escapes the check.
LOOKS_LIKE_CPP = re.compile(r"#\s*include\s*[<\"]|\bcloudreboot::|\bint\s+main\s*\(")
LOCATION = re.compile(r"^(?P<file>[^:\s][^:]*):(?P<line>\d+):(?:\d+:)?")


@dataclasses.dataclass
class Block:
    """A fenced code block: where it is, its language and its lines."""
    path: str             # relative to the Markdown root, with forward slashes
    fence_line: int       # 1-based line of the opening fence
    end_line: int         # 1-based line of the closing fence
    language: str
    lines: list[str]      # the content, the fence's indentation removed
    marker: tuple[str, str] | None = None  # (kind, argument) of the comment before the fence

    @property
    def first_line(self) -> int:
        return self.fence_line + 1

    @property
    def where(self) -> str:
        return f"{self.path}:{self.fence_line}"


@dataclasses.dataclass
class Snippet:
    block: Block
    kind: str                       # fragment, declarations, program, skip
    run: bool = False
    expected_output: str | None = None
    skip_reason: str = ""


@dataclasses.dataclass
class Problem:
    """One failure: the block (or Markdown line) and what went wrong."""
    where: str
    compiler: str
    message: str

    def sort_key(self):
        path, _, line = self.where.rpartition(":")
        return (path, int(line) if line.isdigit() else 0, self.compiler, self.message)

    def __str__(self) -> str:
        by = f" [{self.compiler}]" if self.compiler else ""
        return f"FAIL {self.where}{by}: {self.message}"


# --------------------------------------------------------------------------------------------
# Reading the Markdown

def markdown_files(root: Path) -> list[Path]:
    found = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories
                                   if d not in SKIPPED_DIRECTORIES and not d.startswith("build"))
        found.extend(Path(directory) / name for name in files if name.lower().endswith(".md"))
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def strip_indent(line: str, indent: int) -> str:
    """Removes up to `indent` leading spaces, as CommonMark does inside an indented fence."""
    removed = 0
    while removed < indent and removed < len(line) and line[removed] == " ":
        removed += 1
    return line[removed:]


def read_blocks(path: str, text: str) -> tuple[list[Block], list[Problem]]:
    lines = text.split("\n")
    blocks: list[Block] = []
    problems: list[Problem] = []
    markers: dict[int, tuple[str, str]] = {}  # line -> marker, until a fence takes it
    last_text_line = 0  # the last non-blank line outside code blocks
    index = 0
    while index < len(lines):
        line = lines[index]
        number = index + 1
        fence = FENCE.match(line)
        # An info string of a backtick fence may not contain backticks (CommonMark): `` ```x``` `` is inline code.
        if fence and not (fence["fence"][0] == "`" and "`" in fence["info"]):
            opening = fence["fence"]
            indent = len(fence["indent"].expandtabs(4))
            info = fence["info"].strip()
            language = info.split()[0].lower() if info else ""
            content: list[str] = []
            end = None
            scan = index + 1
            while scan < len(lines):
                closing = FENCE.match(lines[scan])
                if (closing and closing["fence"][0] == opening[0] and len(closing["fence"]) >= len(opening)
                        and not closing["info"].strip()):
                    end = scan
                    break
                content.append(strip_indent(lines[scan], indent))
                scan += 1
            if end is None:
                problems.append(Problem(f"{path}:{number}", "", "code block is never closed"))
                end = len(lines) - 1
            marker = markers.pop(last_text_line, None) if last_text_line else None
            blocks.append(Block(path, number, end + 1, language, content, marker))
            last_text_line = 0
            index = end + 1
            continue
        marker = MARKER.match(line)
        if marker:
            kind, _, argument = marker["body"].partition(" ")
            markers[number] = (kind.strip().lower(), argument.strip())
        elif MARKER_START.match(line.lstrip()):  # a marker that opens a line; one quoted in text is no marker
            problems.append(Problem(f"{path}:{number}", "", "a snippet marker must be one line: <!-- snippet: KIND -->"))
        if line.strip():
            last_text_line = number
        index += 1
    for number in sorted(markers):
        problems.append(Problem(f"{path}:{number}", "", "snippet marker is not on the line before a code block"))
    return blocks, problems


def classify(blocks: list[Block]) -> tuple[list[Snippet], list[Problem]]:
    """The C++ snippets of one file, and what breaks the convention."""
    snippets: list[Snippet] = []
    problems: list[Problem] = []
    previous_run: Snippet | None = None  # a run snippet whose output block may follow
    for block in blocks:
        kind, argument = block.marker if block.marker else ("", "")
        follows_run, previous_run = previous_run, None
        if kind and kind not in KINDS:
            problems.append(Problem(block.where, "", f"unknown snippet kind '{kind}' (one of {', '.join(sorted(KINDS))})"))
            continue
        if kind == "output":
            if follows_run is None:
                problems.append(Problem(block.where, "", "an output block must come right after a <!-- snippet: run --> block"))
            else:
                follows_run.expected_output = "".join(line + "\n" for line in block.lines)
            continue
        if block.language not in CPP_LANGUAGES:
            if kind:
                problems.append(Problem(block.where, "", f"snippet marker '{kind}' on a block that is not C++ "
                                                         f"(```{block.language})"))
            elif not block.language and any(LOOKS_LIKE_CPP.search(line) for line in block.lines):
                problems.append(Problem(block.where, "", "untagged block looks like C++: tag it ```cpp "
                                                         "(and mark it <!-- snippet: skip REASON --> if it cannot compile)"))
            continue
        has_main = any(MAIN.search(line) for line in block.lines)
        if kind == "skip":
            if not argument:
                problems.append(Problem(block.where, "", "<!-- snippet: skip --> needs a reason"))
                continue
            snippets.append(Snippet(block, "skip", skip_reason=argument))
            continue
        if argument:
            problems.append(Problem(block.where, "", f"snippet kind '{kind}' takes no argument (got '{argument}')"))
            continue
        if not kind:
            kind = "program" if has_main else "fragment"
        if kind in ("program", "run") and not has_main:
            problems.append(Problem(block.where, "", f"a '{kind}' snippet must define int main()"))
            continue
        if kind in ("fragment", "declarations") and has_main:
            problems.append(Problem(block.where, "", f"a '{kind}' snippet must not define main()"))
            continue
        snippet = Snippet(block, "program" if kind == "run" else kind, run=kind == "run")
        snippets.append(snippet)
        if snippet.run:
            previous_run = snippet
    return snippets, problems


# --------------------------------------------------------------------------------------------
# Writing translation units

def line_directive(line: int, path: str) -> str:
    return f'#line {line} "{path}"\n'


def fragment_unit(path: str, snippets: list[Snippet]) -> str:
    """One translation unit for the fragments and declarations of one file."""
    out = [f"// Generated by tools/check_snippets.py from {path}.\n", f'#include "{PRELUDE.as_posix()}"\n']
    # Every #include of every block first, where it stands in the Markdown.
    for snippet in snippets:
        for offset, line in enumerate(snippet.block.lines):
            if INCLUDE.match(line):
                out += [line_directive(snippet.block.first_line + offset, path), line + "\n"]
    for snippet in snippets:
        if snippet.kind == "declarations":
            out.append(line_directive(snippet.block.first_line, path))
            out += [("" if INCLUDE.match(line) else line) + "\n" for line in snippet.block.lines]
    for snippet in snippets:
        if snippet.kind == "fragment":
            out.append(f"int snippet_at_line_{snippet.block.fence_line}() {{ using namespace snippet_context;\n")
            out.append(line_directive(snippet.block.first_line, path))
            out += [("" if INCLUDE.match(line) else line) + "\n" for line in snippet.block.lines]
            out.append(line_directive(snippet.block.end_line, path))
            out.append("return 0; }\n")
    return "".join(out)


def program_unit(snippet: Snippet) -> str:
    block = snippet.block
    return line_directive(block.first_line, block.path) + "".join(line + "\n" for line in block.lines)


# --------------------------------------------------------------------------------------------
# Compiling and running

@dataclasses.dataclass
class Compiler:
    name: str          # as given, for messages
    command: list[str]


def default_compilers() -> list[Compiler]:
    found = []
    if shutil.which("g++"):
        found.append(Compiler("g++", ["g++"]))
    if shutil.which("clang++-19") and Path("/usr/lib/llvm-19/include/c++/v1").is_dir():
        found.append(Compiler("clang++-19 -stdlib=libc++", ["clang++-19", "-stdlib=libc++"]))
    return found


def compile_command(compiler: Compiler, include: Path, source: Path, output: Path, link: bool) -> list[str]:
    includes = [f"-I{include}", f"-I{SOURCE_ROOT}"]  # the root: "emulator/in_process.hpp"
    return [*compiler.command, STANDARD, *WARNINGS, *includes, *([] if link else ["-c"]), str(source),
            "-o", str(output)]


def first_error(output: str) -> str:
    """The compiler's first error line, and the first line naming a Markdown file if it is elsewhere."""
    lines = output.splitlines()
    error_at = next((i for i, line in enumerate(lines) if re.search(r"\berror:|undefined reference", line)), None)
    if error_at is None:
        return (lines[0] if lines else "failed without a message").strip()
    message = lines[error_at].strip()
    if ".md:" not in message.split(" ")[0]:
        here = next((line.strip() for line in lines[error_at:] if LOCATION.match(line) and ".md:" in line), None)
        if here:
            message += f" (from {here})"
    return message


def run_process(command: list[str], cwd: Path, timeout: int) -> tuple[int, str, str]:
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, errors="replace", timeout=timeout)
        return done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired:
        return -1, "", f"timed out after {timeout} s"
    except OSError as failure:
        return -1, "", str(failure)


def blamed_block(stderr: str, snippets: list[Snippet]) -> Snippet | None:
    """The snippet holding the first Markdown location in a compiler's output."""
    for line in stderr.splitlines():
        location = LOCATION.match(line)
        if not location or not location["file"].endswith(".md"):
            continue
        number = int(location["line"])
        for snippet in snippets:
            if snippet.block.path == location["file"] and snippet.block.fence_line <= number <= snippet.block.end_line:
                return snippet
    return None


class Checker:
    def __init__(self, compilers: list[Compiler], include: Path, jobs: int, work: Path, markdown_root: Path):
        self.compilers = compilers
        self.include = include
        self.jobs = jobs
        self.work = work
        self.markdown_root = markdown_root
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs)
        self.counter = itertools.count(1)  # next() is atomic: tasks on several threads name directories

    def scratch(self, stem: str) -> Path:
        directory = self.work / f"{next(self.counter):04d}-{re.sub(r'[^A-Za-z0-9]+', '_', stem)}"
        directory.mkdir(parents=True, exist_ok=True)
        return directory

    def compile_fragments(self, path: str, snippets: list[Snippet], compiler: Compiler) -> tuple[int, str]:
        directory = self.scratch(f"{path}-{compiler.command[0]}")
        source = directory / "fragments.cpp"
        source.write_text(fragment_unit(path, snippets))
        status, out, err = run_process(compile_command(compiler, self.include, source, directory / "fragments.o", link=False),
                                       self.markdown_root, COMPILE_TIMEOUT_SECONDS)
        return status, out + err

    def blame(self, path: str, snippets: list[Snippet], compiler: Compiler, output: str,
              alone: list[tuple[Snippet, tuple[int, str]]]) -> list[Problem]:
        """The blocks that broke a file's unit: each fragment compiled alone with the file's
        declarations fails or not; a diagnostic inside a declarations block blames that block."""
        problems: dict[str, Problem] = {}
        for fragment, (alone_status, alone_output) in alone:
            if alone_status == 0:
                continue
            blamed = blamed_block(alone_output, snippets) or fragment
            problems.setdefault(blamed.block.where, Problem(blamed.block.where, compiler.name, first_error(alone_output)))
        if not problems:  # only together: a clash between blocks, or a declarations block alone
            blamed = blamed_block(output, snippets)
            where = blamed.block.where if blamed else path
            problems[where] = Problem(where, compiler.name, first_error(output))
        return list(problems.values())

    def check_program(self, snippet: Snippet, compiler: Compiler) -> tuple[list[Problem], str | None]:
        directory = self.scratch(f"{snippet.block.where}-{compiler.command[0]}")
        source = directory / "program.cpp"
        source.write_text(program_unit(snippet))
        executable = directory / "program"
        status, out, err = run_process(compile_command(compiler, self.include, source, executable, link=True), self.markdown_root,
                                       COMPILE_TIMEOUT_SECONDS)
        if status != 0:
            return [Problem(snippet.block.where, compiler.name, first_error(out + err))], None
        if not snippet.run:
            return [], None
        status, out, err = run_process([str(executable)], directory, RUN_TIMEOUT_SECONDS)
        if status != 0:
            detail = err.strip().splitlines()[-1] if err.strip() else "no message"
            return [Problem(snippet.block.where, compiler.name, f"the program exited with status {status}: {detail}")], out
        if snippet.expected_output is not None and out != snippet.expected_output:
            return [Problem(snippet.block.where, compiler.name, "the program printed other output than the block "
                            f"after it shows:\n{unified(snippet.expected_output, out)}")], out
        return [], out

    def check(self, snippets_by_file: dict[str, list[Snippet]]) -> list[Problem]:
        # First every file's unit and every program; then, for a unit that failed, its fragments
        # one by one to find the broken ones (a pool task never waits for another).
        units = []
        programs = []
        for path, snippets in snippets_by_file.items():
            grouped = [s for s in snippets if s.kind in ("fragment", "declarations")]
            for compiler in self.compilers:
                if grouped:
                    units.append((path, grouped, compiler, self.pool.submit(self.compile_fragments, path, grouped,
                                                                             compiler)))
                for snippet in snippets:
                    if snippet.kind == "program":
                        programs.append(self.pool.submit(self.check_program, snippet, compiler))
        retries = []
        for path, grouped, compiler, future in units:
            status, output = future.result()
            if status == 0:
                continue
            declarations = [s for s in grouped if s.kind == "declarations"]
            fragments = [s for s in grouped if s.kind == "fragment"]
            if len(fragments) > 1:
                alone = [(f, self.pool.submit(self.compile_fragments, path, [*declarations, f], compiler))
                         for f in fragments]
            else:
                alone = [(f, None) for f in fragments]
            retries.append((path, grouped, compiler, (status, output), alone))
        problems = []
        for future in programs:
            problems.extend(future.result()[0])
        for path, grouped, compiler, (status, output), alone in retries:
            results = [(f, future.result() if future else (status, output)) for f, future in alone]
            problems.extend(self.blame(path, grouped, compiler, output, results))
        return problems


def unified(expected: str, actual: str) -> str:
    import difflib
    lines = difflib.unified_diff(expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                                 "shown", "printed", lineterm="")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines).rstrip("\n")


# --------------------------------------------------------------------------------------------
# The check

@dataclasses.dataclass
class Report:
    snippets: list[Snippet]
    problems: list[Problem]
    files: int
    include: Path


def collect(markdown_root: Path) -> tuple[dict[str, list[Snippet]], list[Problem], int]:
    snippets_by_file: dict[str, list[Snippet]] = {}
    problems: list[Problem] = []
    files = markdown_files(markdown_root)
    for file in files:
        path = file.relative_to(markdown_root).as_posix()
        blocks, read_problems = read_blocks(path, file.read_text(encoding="utf-8", errors="replace"))
        snippets, classify_problems = classify(blocks)
        problems += read_problems + classify_problems
        if snippets:
            snippets_by_file[path] = snippets
    return snippets_by_file, problems, len(files)


def check_tree(markdown_root: Path, compilers: list[Compiler], include: Path, jobs: int,
               keep: Path | None = None) -> Report:
    snippets_by_file, problems, files = collect(markdown_root)
    with tempfile.TemporaryDirectory(prefix="cloudreboot-snippets-") as temporary:
        work = keep if keep else Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        checker = Checker(compilers, include, jobs, work, markdown_root)
        try:
            problems += checker.check(snippets_by_file)
        finally:
            checker.pool.shutdown()
    snippets = [s for file_snippets in snippets_by_file.values() for s in file_snippets]
    return Report(snippets, sorted(problems, key=Problem.sort_key), files, include)


def describe(snippet: Snippet) -> str:
    if snippet.kind == "skip":
        return f"skip ({snippet.skip_reason})"
    if snippet.run:
        return "program, run" + (", output compared" if snippet.expected_output is not None else "")
    return snippet.kind


def print_report(report: Report, compilers: list[Compiler], out=sys.stdout) -> None:
    counts: dict[str, int] = {}
    for snippet in report.snippets:
        key = "run" if snippet.run else snippet.kind
        counts[key] = counts.get(key, 0) + 1
    kinds = ", ".join(f"{counts[k]} {k}" for k in ("fragment", "declarations", "program", "run", "skip") if k in counts)
    print(f"snippets: {len(report.snippets)} C++ blocks in {report.files} Markdown files ({kinds or 'none'}); "
          f"compilers: {', '.join(c.name for c in compilers)}; headers: {report.include}", file=out)
    for snippet in report.snippets:
        if snippet.kind == "skip":
            print(f"skipped {snippet.block.where}: {snippet.skip_reason}", file=out)
    for problem in report.problems:
        print(problem, file=out)
    print(f"snippets: {'FAILED, ' + str(len(report.problems)) + ' problems' if report.problems else 'ok'}", file=out)


# --------------------------------------------------------------------------------------------
# The negative control: the check must fail on broken snippets, at the right lines

def self_test(compilers: list[Compiler], include: Path, jobs: int) -> int:
    """Writes Markdown with good and broken blocks, checks it, and compares what failed."""
    cases = {
        # file: (text, the fence lines that must fail, None: must pass)
        "good.md": ("# Good\n\n```cpp\n#include <cloudreboot/core/http.hpp>\n"
                    "cloudreboot::http_response answer{.status = status, .headers = {}, .body = body};\n"
                    "return answer.status == 200 ? 0 : 1;\n```\n\n"
                    "<!-- snippet: declarations -->\n```c++\nint twice(int x) { return 2 * x; }\n```\n\n"
                    "<!-- snippet: run -->\n```cpp\n#include <cstdio>\nint main() { std::puts(\"hello\"); }\n```\n"
                    "<!-- snippet: output -->\n```text\nhello\n```\n\n"
                    "<!-- snippet: skip shows a compile error on purpose -->\n```cpp\nint x = ;\n```\n\n"
                    "```sh\necho not C++\n```\n", set()),
        "broken.md": ("# Broken\n\n```cpp\nint fine = 1;\nreturn fine - 1;\n```\n\nText.\n\n"
                      "```cpp\nstd::string text = 42;\n```\n", {"broken.md:10"}),
        # -Wmissing-field-initializers stays on: the structs must be written out in full.
        "strict.md": ("```cpp\n#include <cloudreboot/core/http.hpp>\n"
                      "cloudreboot::http_response answer{.status = 200};\nreturn answer.status;\n```\n",
                      {"strict.md:1"}),
        "output.md": ("<!-- snippet: run -->\n```cpp\n#include <cstdio>\nint main() { std::puts(\"hello\"); }\n```\n"
                      "<!-- snippet: output -->\n```\nhallo\n```\n", {"output.md:2"}),
        "exits.md": ("<!-- snippet: run -->\n```cpp\nint main() { return 3; }\n```\n", {"exits.md:2"}),
        "links.md": ("```cpp\nint missing();\nint main() { return missing(); }\n```\n", {"links.md:1"}),
        "convention.md": ("<!-- snippet: skip -->\n```cpp\nint x = 1;\n```\n\n"
                          "<!-- snippet: fragmnet -->\n```cpp\nint x = 1;\n```\n\n"
                          "```\n#include <cloudreboot/alibaba.hpp>\n```\n\n"
                          "<!-- snippet: fragment -->\n\nA marker with no block.\n\n"
                          "<!-- snippet: run -->\n```cpp\nreturn 0;\n```\n",
                          {"convention.md:2", "convention.md:7", "convention.md:11", "convention.md:15",
                           "convention.md:20"}),
        "unclosed.md": ("```cpp\nint x = 1;\n", {"unclosed.md:1"}),
        # Fences indented in a list item, tildes, and a marker quoted in text (no marker).
        "list.md": ("- Mark a block `<!-- snippet: skip REASON -->`:\n\n  ```cpp\n  const char* text = 1;\n  ```\n"
                    "~~~c++\nint rounded = 1.5;\n(void)rounded;\n~~~\n", {"list.md:3", "list.md:6"}),
    }
    # build/ and third-party trees are not read.
    ignored = {"build/ignored.md": "```cpp\nint broken = ;\n```\n",
               "node_modules/x/ignored.md": "```cpp\nint broken = ;\n```\n"}
    failures = []
    with tempfile.TemporaryDirectory(prefix="cloudreboot-snippets-self-test-") as temporary:
        root = Path(temporary)
        for name, (text, _) in cases.items():
            (root / name).write_text(text)
        for name, text in ignored.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        report = check_tree(root, compilers, include, jobs)
    print("self-test: the check's report on Markdown written to fail:")
    listing = io.StringIO()
    print_report(report, compilers, listing)
    print("".join(f"  | {line}\n" for line in listing.getvalue().splitlines()), end="")
    failed = {problem.where for problem in report.problems}
    for name, (_, expected) in cases.items():
        got = {where for where in failed if where.split(":")[0] == name}
        if got != expected:
            failures.append(f"{name}: expected failures at {sorted(expected) or 'none'}, got {sorted(got) or 'none'}")
    strays = sorted(where for where in failed if where.split(":")[0] not in cases)
    if strays:
        failures.append(f"failures outside the cases (ignored directories read?): {strays}")
    # Every compiler is blamed for a compile error, and the message names the Markdown line.
    broken = [p for p in report.problems if p.where == "broken.md:10"]
    if sorted(p.compiler for p in broken) != sorted(c.name for c in compilers):
        failures.append(f"broken.md:10 should fail with every compiler, failed with {[p.compiler for p in broken]}")
    if not all(p.message.startswith("broken.md:11:") for p in broken):
        failures.append(f"the error should name broken.md:11: {[p.message for p in broken]}")
    skipped = [s.block.where for s in report.snippets if s.kind == "skip"]
    if skipped != ["good.md:25"]:
        failures.append(f"expected the skip at good.md:25 listed, got {skipped}")
    for failure in failures:
        print(f"self-test: {failure}")
    print("self-test: " + ("FAILED" if failures else "ok: the check fails on each broken snippet and only there"))
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=SOURCE_ROOT, help="where to look for Markdown (default: the project)")
    parser.add_argument("--cxx", action="append", default=[],
                        help="a compiler command with its own flags, e.g. 'clang++-19 -stdlib=libc++' "
                             "(repeatable; default: g++, and clang++-19 with libc++ when installed)")
    parser.add_argument("--include", type=Path, default=SOURCE_ROOT / "include",
                        help="the library's include directory (default: include/; the single-header preset "
                             "passes its forwarders to single_include/)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="compilers run at once")
    parser.add_argument("--keep", type=Path, help="keep the generated sources and objects in this directory")
    parser.add_argument("--list", action="store_true", help="list the C++ blocks and how each is checked")
    parser.add_argument("--self-test", action="store_true", help="check that broken snippets make the check fail")
    arguments = parser.parse_args()

    compilers = [Compiler(" ".join(shlex.split(spec)), shlex.split(spec)) for spec in arguments.cxx if spec.strip()]
    if arguments.cxx and not compilers:
        parser.error("--cxx names no compiler")
    compilers = compilers or default_compilers()
    if not compilers:
        print("snippets: no C++ compiler found (g++ or clang++-19)", file=sys.stderr)
        return 2
    if arguments.jobs < 1:
        parser.error("--jobs must be at least 1")

    if arguments.self_test:
        return self_test(compilers, arguments.include.resolve(), arguments.jobs)
    root = arguments.root.resolve()
    if arguments.list:
        snippets_by_file, problems, _ = collect(root)
        for snippets in snippets_by_file.values():
            for snippet in snippets:
                print(f"{snippet.block.where}: {describe(snippet)}")
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    report = check_tree(root, compilers, arguments.include.resolve(), arguments.jobs, arguments.keep)
    print_report(report, compilers)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
