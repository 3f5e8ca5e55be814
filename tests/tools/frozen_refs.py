"""Helpers for the gen_*_refs.py scripts: format numbers as C++ and write them into a test file.

Each script computes reference values with numpy / scipy / scikit-learn and replaces the block between
`// BEGIN FROZEN REFERENCES` and `// END FROZEN REFERENCES` in its test file, so the test carries the exact
output of the script that produced it and never needs Python at run time.
"""
import os
import re

BEGIN = "// BEGIN FROZEN REFERENCES"
END = "// END FROZEN REFERENCES"
TESTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


class Block:
    def __init__(self):
        self.lines = []

    def comment(self, text):
        self.lines.append("// " + text)

    def scalar(self, name, value):
        self.lines.append(f"inline constexpr double {name} = {float(value)!r};")

    def integer(self, name, value):
        self.lines.append(f"inline constexpr long long {name} = {int(value)};")

    def array(self, name, values):
        body = ", ".join(repr(float(v)) for v in values)
        self.lines.append(f"inline constexpr double {name}[] = {{{body}}};")

    def iarray(self, name, values):
        body = ", ".join(str(int(v)) for v in values)
        self.lines.append(f"inline constexpr int {name}[] = {{{body}}};")

    def text(self):
        return "\n".join(self.lines)


def write_block(test_path, block, script):
    """Replaces the frozen block of tests/<test_path> with the block's lines."""
    path = os.path.join(TESTS, test_path)
    with open(path) as f:
        source = f.read()
    body = f"{BEGIN} (written by tests/tools/{script}; do not edit)\nnamespace ref {{\n{block.text()}\n}} // namespace ref\n{END}"
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if not pattern.search(source):
        raise SystemExit(f"{path}: no frozen reference block")
    source = pattern.sub(lambda _: body, source, count=1)
    with open(path, "w") as f:
        f.write(source)
    print(f"wrote {len(block.lines)} lines into {path}")
