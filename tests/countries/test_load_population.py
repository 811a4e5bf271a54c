"""`concord load_population`: a newer table (UN WPP format) replaces figures, with provenance."""

import io

import pytest
from django.core.management import CommandError, call_command

from concord.countries.models import Country, DataSource
from concord.countries.queries import coverage

pytestmark = pytest.mark.django_db

WPP = """SortOrder,LocID,Notes,ISO3_code,ISO2_code,SDMX_code,LocTypeID,LocTypeName,ParentID,Location,VarID,Variant,Time,MidPeriod,PopMale,PopFemale,PopTotal,PopDensity
1,686,,SEN,SN,686,4,Country,914,Senegal,2,Medium,2023,2023.5,8900.1,9200.2,18100.25,92.0
2,686,,SEN,SN,686,4,Country,914,Senegal,2,Medium,2024,2024.5,9100.0,9400.0,18501.984,94.1
3,686,,SEN,SN,686,4,Country,914,Senegal,3,High,2024,2024.5,9200.0,9500.0,18700.0,95.0
4,50,,BGD,BD,50,4,Country,921,Bangladesh,2,Medium,2024,2024.5,86000.0,87500.0,173562.364,1333.0
"""


def test_wpp_table_is_loaded_with_its_source(tmp_path):
    path = tmp_path / "WPP2024_TotalPopulationBySex.csv"
    path.write_text(WPP)
    out = io.StringIO()
    call_command(
        "load_population", str(path), "--source-key", "wpp2024", "--thousands",
        "--title", "World Population Prospects 2024", "--publisher", "UN DESA Population Division",
        "--as-of", "2024 revision", stdout=out,
    )  # fmt: skip
    assert "Updated the population of 2 countries" in out.getvalue()
    senegal = Country.objects.get(code="SN")
    assert (senegal.population, senegal.population_year, senegal.population_source_id) == (
        18_501_984,
        2024,
        "wpp2024",
    )
    assert Country.objects.get(code="BD").population == 173_562_364
    assert Country.objects.get(code="KE").population_source_id == "wdi"  # untouched
    assert DataSource.objects.get(key="wpp2024").publisher == "UN DESA Population Division"
    assert coverage(["SN"]).population == 18_501_984


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command(
            "load_population", str(tmp_path / "missing.csv"), "--source-key", "x",
            "--title", "t", "--publisher", "p", "--as-of", "2024",
        )  # fmt: skip
