#!/usr/bin/env python3
"""Counts test cases in JUnit XML files (lit, GoogleTest, pytest) and prints
one line, "N passed, N failed", preceded by the failures and skips.

Exit status 0 when nothing failed and every suite produced a report."""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

EXPECTED = ["lit.xml", "unittests.xml"]


def main(results_dir: str) -> int:
    results = Path(results_dir)
    passed = failed = skipped = 0
    failures = []
    for name in EXPECTED:
        if not (results / name).exists():
            failures.append(f"{name}: missing (the suite did not run to completion)")
            failed += 1
    for report in sorted(results.glob("*.xml")):
        try:
            root = ET.parse(report).getroot()
        except ET.ParseError as e:
            failures.append(f"{report.name}: unreadable report ({e})")
            failed += 1
            continue
        for case in root.iter("testcase"):
            label = f"{report.stem}: {case.get('classname', '')}.{case.get('name', '')}"
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
                failures.append(label)
            elif case.find("skipped") is not None:
                skipped += 1
            else:
                passed += 1
    for f in failures:
        print(f"FAILED {f}")
    if skipped:
        print(f"({skipped} skipped: unsupported here)")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build/test-results"))
