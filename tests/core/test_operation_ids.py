"""OpenAPI operation ids name the app and the function, not the module an endpoint lives in,
so splitting an app's API into topic modules renames nothing a generated client uses."""

import re

from concord.api.api import api


def operation_ids() -> list[str]:
    schema = api.get_openapi_schema()
    return [
        operation["operationId"]
        for path in schema["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict) and "operationId" in operation
    ]


def test_operation_ids_are_unique_and_name_the_app():
    ids = operation_ids()
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"concord_[a-z]+_api_[a-z_]+", each) for each in ids), ids


def test_an_endpoint_in_a_topic_module_keeps_its_name():
    # results' endpoints live in concord/results/api/projects.py and .../updates.py.
    assert {"concord_results_api_create_project", "concord_results_api_submit_update"} <= set(
        operation_ids()
    )
