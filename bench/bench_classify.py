"""Benchmark the channel engine: median classify time and catalogue/rules load time, each beside a baseline.

    .venv/bin/python bench/bench_classify.py

Targets: classify ≤ 1 ms (median, after warm-up); loading the catalogue, rules, organs and calendar ≤ 100 ms.
Baselines measured in the same run: a plain dict lookup per classify, and json.loads of the same files for the
load. Prints figures only (no asserts); the machine is noisy, so treat differences under ~20 % as noise.
"""

from __future__ import annotations

import json
import statistics
import time
from datetime import date

from xinfang_desk.paths import resource
from xinfang_desk.statutes import calendar as cal_mod
from xinfang_desk.statutes import catalogue as cat_mod
from xinfang_desk.statutes import facts as facts_mod
from xinfang_desk.statutes import organs as organs_mod
from xinfang_desk.statutes import rules as rules_mod
from xinfang_desk.statutes.engine import classify_document

TODAY = date(2026, 11, 27)
DOCS = [
    {"received_on": "2026-11-27", "group_size": 1, "matter": {"kind": "labour.dispute", "facts": {"act_known_on": "2026-03-01", "economic_hardship": True}}},
    {"received_on": "2026-11-27", "group_size": 7, "matter": {"kind": "admin.act", "facts": {
        "act_known_on": "2026-10-20", "act_made_on": "2026-10-18", "rights_notice_given": True, "real_property": False,
        "act_type": "other", "respondent_level": "district_dept", "accuses_official": True}}},
    {"received_on": "2021-08-15", "group_size": 1, "matter": {"kind": "labour.dispute", "facts": {"act_known_on": "2021-07-01"}}},
    {"received_on": "2026-11-27", "group_size": 1, "matter": {"kind": "suggestion", "facts": {}}},
]


def median_ns(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        t = time.perf_counter_ns()
        fn()
        samples.append(time.perf_counter_ns() - t)
    return statistics.median(samples)


def clear_caches() -> None:
    for f in (cat_mod.default_catalogue, rules_mod.default_rules, organs_mod.default_organs, cal_mod.default_calendar,
              facts_mod.default_fact_defs):
        f.cache_clear()


def load_all() -> None:
    clear_caches()
    rules_mod.default_rules()
    cal_mod.default_calendar()


def json_baseline() -> None:
    paths = [*sorted(resource("statutes", "instruments").glob("*.json")), *sorted(resource("calendar").glob("*.json")),
             resource("rules", "rules.json"), resource("rules", "facts.json"), resource("organs.json")]
    for p in paths:
        json.loads(p.read_text(encoding="utf-8"))


def main() -> None:
    load_ms = median_ns(load_all, 15) / 1e6
    json_ms = median_ns(json_baseline, 15) / 1e6
    print(f"catalogue + rules + organs + calendar load: median {load_ms:8.2f} ms   (target <= 100 ms)")
    print(f"  baseline json.loads of the same files:     median {json_ms:8.2f} ms")

    load_all()
    for doc in DOCS * 50:  # warm-up
        classify_document(doc, TODAY)
    table = {d["matter"]["kind"]: d for d in DOCS}
    for doc in DOCS:
        kind = doc["matter"]["kind"]
        us = median_ns(lambda doc=doc: classify_document(doc, TODAY), 2000) / 1e3
        base = median_ns(lambda kind=kind: table[kind], 2000) / 1e3
        print(f"classify {kind:<16} received {doc['received_on']}: median {us:8.1f} µs   (target <= 1000 µs)"
              f"   baseline dict lookup {base:6.2f} µs")


if __name__ == "__main__":
    main()
