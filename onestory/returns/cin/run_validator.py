"""Runs Data to Insight's CIN census validator on a census XML file; run by the validators' own
Python (it pins pandas below 2), never imported by One Story.

    PYTHON onestory/returns/cin/run_validator.py FILE --year 2026 --output issues.json

It uses the validator's Python API as its command line does (cin_validator.__main__ run):
convert_data reads the XML into tables, process_data reads their dates, and CinValidator runs
the year's rule pack (collection year 2026 is the cin2025_26 pack). The JSON written lists
each issue as child, table, rule and the rule's message (the same shape as the SSDA903
runner's, so onestory.returns.validate can read both); rules about the whole return, with no
child, have an empty child.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import xml.etree.ElementTree as ET
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", type=Path)
    parser.add_argument("--year", type=int, required=True, help="the year the census ends")
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    from cin_validator import cin_validator  # type: ignore[import-not-found]

    pack = f"cin_validator.rules.cin{args.year - 1}_{str(args.year)[2:]}"
    registry = importlib.import_module(pack).registry
    # The file is One Story's own export, written moments before.
    root = ET.parse(args.file).getroot()  # noqa: S314
    tables = cin_validator.process_data(cin_validator.convert_data(root))
    validator = cin_validator.CinValidator(tables, registry)
    issues = [
        {
            "child": "" if child != child else str(child),  # NaN is not itself
            "table": str(table),
            "rule": str(rule),
            "message": " ".join(str(message).split()),
        }
        for child, table, rule, message in validator.full_issue_df[
            ["child_id", "tables_affected", "rule_code", "rule_description"]
        ].itertuples(index=False)
    ]
    issues += [
        {"child": "", "table": "", "rule": str(rule), "message": " ".join(str(message).split())}
        for rule, message in validator.multichild_issues.itertuples(index=False)
    ]
    args.output.write_text(json.dumps({"issues": issues, "failed": [], "skipped": []}))


if __name__ == "__main__":
    main()
