"""OpenAPI operation ids name the app and the function, not the module an endpoint lives in,
so splitting an app's API into topic modules renames nothing a generated client uses."""

import re
import typing
from collections import Counter
from typing import Any

from pydantic import BaseModel

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


def schema_classes(model: Any, found: set[type]) -> None:
    """Every pydantic model a type names, through lists, unions and fields."""
    if isinstance(model, type) and issubclass(model, BaseModel) and model not in found:
        found.add(model)
        for field in model.model_fields.values():
            schema_classes(field.annotation, found)
    for argument in typing.get_args(model):
        schema_classes(argument, found)


def test_no_two_schemas_share_a_name():
    # The OpenAPI document names a schema by its class name: two classes of one name become
    # one component, and the API then describes one of them wrongly.
    found: set[type] = set()
    # The API lists its routers flattened, nested ones included, once it has been built.
    for _prefix, router in api._routers:
        for path in router.path_operations.values():
            for operation in path.operations:
                for model in [*operation.response_models.values(), *operation.models]:
                    schema_classes(model, found)
    ours = [model for model in found if model.__module__.startswith("concord.")]
    names = Counter(model.__name__ for model in ours)
    assert [name for name, count in names.items() if count > 1] == []
