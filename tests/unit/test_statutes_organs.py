"""The organ directory and its loader."""

import pytest

from xinfang_desk.statutes.organs import OrganDirectoryError, default_organs, load_organs

REQUIRED = ["petition_bureau", "labour_arbitration", "legal_aid_centre", "district_court", "district_procuratorate",
            "discipline", "reconsideration_district", "police_branch", "hrss", "mediation_town", "natural_resources",
            "market_regulation", "health_commission", "traffic_police", "agriculture_bureau", "land_contract_arbitration",
            "organisation_dept"]


def test_district_defaults_present_and_unconfirmed():
    d = default_organs()
    for key in REQUIRED:
        o = d.get(key)
        assert o.name and o.confirmed is False
        assert o.generic or (o.address and o.hours)


def test_loader_is_pure_and_strict():
    d = load_organs({"version": "x", "organs": [{"key": "a", "name": "甲", "confirmed": True}]})
    assert d.get("a").confirmed is True and "a" in d and d.version == "x"
    with pytest.raises(OrganDirectoryError):
        load_organs({"organs": [{"key": "a", "name": "甲"}, {"key": "a", "name": "乙"}]})
    with pytest.raises(OrganDirectoryError):
        load_organs({"organs": [{"key": "", "name": "甲"}]})
    with pytest.raises(OrganDirectoryError):
        d.get("missing")
