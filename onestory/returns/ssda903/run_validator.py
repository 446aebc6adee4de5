"""Runs Data to Insight's SSDA903 validator on a folder of CSV files; run by the validators'
own Python (var/validators, which pins pandas below 2), never imported by One Story.

    var/validators/bin/python onestory/returns/ssda903/run_validator.py DIR \
        --year 2026 --la E06000043 --output issues.json [--previous LAST_YEARS_DIR]

It uses the validator's Python API as its own web service does (rpc_main.lac_validate):
LacValidator reads the files (finding each table by its columns), runs the year's rule pack
(collection year 2026 is the lac2025_26 pack) and marks each failing row in an ERR_<rule>
column. The JSON written lists each marked row as child, table, rule and the rule's message,
with the rules that could not run ("failed") or had no table to run on ("skipped").
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("directory", type=Path)
    parser.add_argument("--year", required=True, help="the year the collection ends, e.g. 2026")
    parser.add_argument("--la", required=True, help="the council's ONS code, e.g. E06000043")
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument(
        "--previous", type=Path, help="last year's files, for the rules comparing the two years"
    )
    args = parser.parse_args()
    # The validator logs every rule at INFO; only its result matters here.
    logging.disable(logging.WARNING)

    from lac_validator.lac_validator import LacValidator  # type: ignore[import-not-found]
    from lac_validator.rules.ruleset_utils import (  # type: ignore[import-not-found]
        get_year_ruleset,
    )

    years = [(args.directory, "This year")]
    if args.previous is not None:
        years.append((args.previous, "Prev year"))
    files = [
        {"name": path.name, "description": description, "file_content": path.read_bytes()}
        for folder, description in years
        for path in sorted(folder.glob("*.csv"))
    ]
    registry = get_year_ruleset(args.year)
    validator = LacValidator(
        metadata={"collectionYear": args.year, "localAuthority": args.la},
        files=files,
        registry=registry,
    )
    issues = []
    for table, frame in validator.ds_results.items():
        if table == "metadata" or table.endswith("_last"):
            continue
        for column in (c for c in frame.columns if str(c).startswith("ERR_")):
            rule = column[4:]
            marked = frame[frame[column] == True]  # noqa: E712  (the column holds True or NaN)
            for child in marked["CHILD"]:
                issues.append(
                    {
                        "child": "" if child != child else str(child),  # NaN is not itself
                        "table": table,
                        "rule": rule,
                        "message": " ".join(str(registry[rule].message).split()),
                    }
                )
    result = {"issues": issues, "failed": validator.fails, "skipped": validator.skips}
    args.output.write_text(json.dumps(result))


if __name__ == "__main__":
    main()
