#!/usr/bin/env python3
"""Checks that every Markdown document the repository's files cite is in the repository.

For every tracked text file, each `name.md` or `some/path/name.md` it mentions must be a file
of the repository: relative to the citing file's folder or to the top. A citation with sections
(`docs/hardware.md §2.3`, `docs/firmware-protocol.md §5.3, §5.4`, `§3.2-§3.4`, a list running on
to the next comment line) must name sections that exist: a heading `## 2. ...` or `### 2.3 ...`
of that document. Web addresses (http://, https://) are not checked.

Usage: scripts/check-citations.py [FILE...]   (default: every file git tracks)
Prints one line per bad citation, FILE:LINE: what is wrong, and exits 1 if there is any.
"""
import os
import re
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

# A document name: a path-like word ending in .md, not part of a longer word.
DOC = re.compile(r"(?<![\w.\-/~])((?:https?://)?[\w.\-/~]*[\w\-]\.md)(?![\w\-])")
# What may follow a document name before its section list: ")", "`", "]", space, ",".
AFTER = re.compile(r"[`)\],]?\s*(?:\([^)\n]*\))?")
# One section reference and the separators of a list of them.
SECTION = re.compile(r"§\s*(\d+(?:\.\d+)*)")
LIST = re.compile(r"(?:§\s*\d+(?:\.\d+)*[a-z]?(?:\s*(?:,|;|/|-|–|and|to|or)\s*)?)+")
HEADING = re.compile(r"^#{1,6}\s+(\d+(?:\.\d+)*)[.\s]", re.M)
# Comment leaders at the start of a continued line: " * ", "// ", "# ".
LEADER = re.compile(r"\n[ \t]*(?:\*(?!/)|//|#(?!#))?[ \t]*")

_sections = {}


def sections_of(path):
    if path not in _sections:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                _sections[path] = set(HEADING.findall(f.read()))
        except OSError:
            _sections[path] = set()
    return _sections[path]


def resolve(citing, name):
    """The repository file `name` means when `citing` names it, or None."""
    if name.startswith("/") or name.startswith("~"):
        return None
    for base in (os.path.dirname(citing), ""):
        path = os.path.normpath(os.path.join(ROOT, base, name))
        if not path.startswith(ROOT + os.sep):
            continue
        if os.path.isfile(path):
            return path
    return None


def check_file(rel):
    path = os.path.join(ROOT, rel)
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError):
        return []
    problems = []
    for m in DOC.finditer(text):
        name = m.group(1)
        if name.startswith(("http://", "https://")) or "*" in name:
            continue
        line = text.count("\n", 0, m.start()) + 1
        target = resolve(rel, name)
        if target is None:
            problems.append(f"{rel}:{line}: cites {name}, which is not in the repository")
            continue
        # The section list, if any, possibly running on to the next comment line.
        rest = LEADER.sub(" ", text[m.end():m.end() + 160])
        a = AFTER.match(rest)
        lst = LIST.match(rest, a.end() if a else 0)
        if not lst:
            continue
        known = sections_of(target)
        for sec in SECTION.findall(lst.group(0)):
            if sec not in known:
                shown = os.path.relpath(target, ROOT)
                problems.append(f"{rel}:{line}: cites {name} §{sec}, which {shown} does not have")
    return problems


def main(argv):
    if argv:
        files = argv
    else:
        out = subprocess.run(["git", "-C", ROOT, "ls-files"], check=True, capture_output=True,
                             text=True).stdout
        files = [f for f in out.splitlines() if f != "scripts/check-citations.py"]
    problems = []
    for rel in files:
        problems.extend(check_file(rel))
    for p in problems:
        print(p)
    if problems:
        print(f"check-citations: {len(problems)} citation(s) that lead nowhere", file=sys.stderr)
        return 1
    print(f"check-citations: {len(files)} files, every cited document and section exists")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
