#!/usr/bin/env python3
"""clang-tidy (the root .clang-tidy) over reqtrace's sources; exits 1 on any finding.

  .ci/tidy.py                      what CI checks: every tracked C++ file of src, tests, bench
  .ci/tidy.py src/sim tests/http   every tracked C++ file under these folders
  .ci/tidy.py src/trace/recorder.cpp src/trace/recorder.hpp

Each .cpp named is checked with its command from build-tidy/compile_commands.json (the tidy
preset, configured here: file by file, so each file is checked on its own; a source the preset
does not build, such as the no-GUI stand-in, borrows a sibling's command). A header is checked
through the .cpp files named that include it. Only findings in the named files count; the ones
in other files of ours are counted by check at the end.

clang-tidy takes seconds per file, so a file's findings are kept in a cache keyed by its
preprocessed text, its compile command and the config: a rerun only checks what changed.
"""
import concurrent.futures
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
from collections import Counter
from pathlib import Path

# What CI checks: all of our C++.
CHECKED = ["src", "tests", "bench"]
BUILD = "build-tidy"
SOURCE_SUFFIXES = (".cpp", ".cc")
CXX_SUFFIXES = SOURCE_SUFFIXES + (".hpp", ".h")
DIAGNOSTIC = re.compile(r"^(?P<file>[^:\s][^:]*):(?P<line>\d+):(?P<col>\d+): "
                        r"(?:warning|error): (?P<message>.*?) \[(?P<check>[\w.,-]+)\]$")

# The root as the build saw it: CI builds through a fixed symlink (.ci/run), so a path in the
# compile database or in clang-tidy's output may be the symlink's, not the resolved one.
root = Path(__file__).resolve().parent.parent
logical = Path(os.environ.get("PWD", "."))
if logical.is_absolute() and logical.exists() and logical.samefile(root):
    root = logical
os.chdir(root)


def tracked(paths):
    """The tracked C++ files under the given files or folders."""
    out = subprocess.run(["git", "ls-files", "--", *paths], capture_output=True, text=True,
                         check=True).stdout.split()
    return sorted(p for p in out if p.endswith(CXX_SUFFIXES))


def tool_version():
    return subprocess.run(["clang-tidy", "--version"], capture_output=True, text=True,
                          check=True).stdout


def compile_commands():
    subprocess.run(["cmake", "--preset", "tidy"], check=True, stdout=subprocess.DEVNULL)
    entries = json.loads((root / BUILD / "compile_commands.json").read_text())
    return {os.path.relpath(os.path.join(e["directory"], e["file"]), root): e for e in entries}


def borrowed(source, commands):
    """A command for a source the tidy preset does not build (one half of a CMake if, such as
    the no-GUI stand-in of the viewer): a sibling's in the same folder, naming this file."""
    folder = os.path.dirname(source)
    for other, entry in sorted(commands.items()):
        if os.path.dirname(other) == folder and other.endswith(SOURCE_SUFFIXES):
            command = entry["command"].replace(entry["file"], str(root / source))
            return {**entry, "file": str(root / source), "command": command, "borrowed": True}
    return None


def cache_key(entry, config):
    """The file as the compiler sees it, with this tree's path taken out, so another clone or
    worktree of the same commit finds the same key."""
    args = shlex.split(entry["command"])
    preprocess = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg == "-o":
            skip = True
        elif arg != "-c":
            preprocess.append(arg)
    # -C keeps the comments: a NOLINT changes what clang-tidy says. -fno-working-directory
    # leaves out the line that names the (resolved) build folder.
    text = subprocess.run(preprocess + ["-E", "-C", "-fno-working-directory", "-o", "-"],
                          cwd=entry["directory"], capture_output=True, check=True).stdout
    digest = hashlib.sha256(config)
    for here in {str(root).encode(), str(root.resolve()).encode()}:
        text = text.replace(here, b"")
    digest.update(entry["command"].encode().replace(str(root).encode(), b""))
    digest.update(text)
    return digest.hexdigest()


def check(source, entry, cache, config):
    """[(file, line, col, message, check)] for one .cpp, files relative to the root."""
    key = cache_key(entry, config)
    kept = cache / f"{key}.json"
    if kept.exists():
        return json.loads(kept.read_text()), True
    if entry.get("borrowed"):  # not in the database: its command goes after "--"
        how = [entry["file"], "--", *shlex.split(entry["command"])[1:]]
    else:
        how = ["-p", BUILD, source]
    run = subprocess.run(["clang-tidy", "--quiet", *how], capture_output=True, text=True,
                         cwd=entry["directory"] if entry.get("borrowed") else None)
    findings = []
    for line in run.stdout.splitlines():
        m = DIAGNOSTIC.match(line)
        if m:
            file = os.path.relpath(m["file"], root)
            findings.append([file, int(m["line"]), int(m["col"]), m["message"], m["check"]])
    if run.returncode != 0 and not findings:
        # clang-tidy failed without a finding: the file did not parse; say why, keep nothing.
        findings.append([source, 0, 0, run.stderr.strip()[-2000:] or "clang-tidy failed",
                         "clang-tidy"])
        return findings, False
    unique = sorted({tuple(f) for f in findings})
    kept.write_text(json.dumps(unique))
    return unique, False


def main():
    named = tracked(sys.argv[1:] or CHECKED)
    sources = [f for f in named if f.endswith(SOURCE_SUFFIXES)]
    commands = compile_commands()
    for source in sources:
        if source not in commands and (entry := borrowed(source, commands)):
            commands[source] = entry
    missing = [f for f in sources if f not in commands]
    sources = [f for f in sources if f in commands]
    cache = Path(os.environ.get("REQTRACE_TIDY_CACHE",
                                Path.home() / ".cache" / "reqtrace-tidy"))
    cache.mkdir(parents=True, exist_ok=True)
    config = tool_version().encode() + (root / ".clang-tidy").read_bytes()

    findings, elsewhere, cached = set(), Counter(), 0
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        jobs = {pool.submit(check, s, commands[s], cache, config): s for s in sources}
        for job in concurrent.futures.as_completed(jobs):
            found, hit = job.result()
            cached += hit
            for f in found:
                if f[0] in named or f[4] == "clang-tidy":
                    findings.add(tuple(f))
                elif not f[0].startswith(".."):
                    elsewhere[(f[4], f[0], f[1], f[2])] += 1

    for file, line, col, message, name in sorted(findings):
        print(f"{file}:{line}:{col}: {message} [{name}]")
    print(f"clang-tidy: {len(sources)} files checked ({cached} unchanged since a clean run), "
          f"{len(findings)} findings")
    if missing:
        print("not in the compile database (not built by the tidy preset), not checked: "
              + " ".join(missing))
    if elsewhere:
        by_check = Counter(name for name, *_ in elsewhere)
        print(f"also seen in headers of ours not named here: {len(elsewhere)} findings: "
              + ", ".join(f"{n} {c}" for c, n in by_check.most_common()))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
