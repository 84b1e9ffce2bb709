"""The channel engine: statute catalogue, decision rules as data, deadline engine, organ directory.

Qt-free and DB-free. Public API:

* `engine.classify_document(doc, today=None) -> dict` and the typed `engine.classify(...) -> Classification`
* `engine.facts_for_kind(kind) -> list[FactQuestion]`, `engine.validate_facts(kind, facts) -> dict`
* `catalogue.quote(instrument, version, article, paragraph=None, item=None) -> Quote`,
  `catalogue.version_in_force(instrument, on_date) -> Version | None`
* `deadlines.period_end(start, period) -> PeriodEnd`; `calendar.default_calendar()`
* `holidays.statutory_holidays(year)`: the days 全国年节及纪念日放假办法 gives everyone off, used beyond the
  published calendar
* `organs.load_organs(data) -> OrganDirectory`, `organs.default_organs()`

Data: resources/statutes/ (instruments and their source texts), resources/rules/ (rules.json, facts.json),
resources/calendar/ (one JSON per year), resources/organs.json.
"""
