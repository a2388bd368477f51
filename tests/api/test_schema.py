"""The API answers as its own OpenAPI schema says: schemathesis loads the schema the site serves
and sends every operation generated requests, valid and invalid, through the WSGI application.
Every answer must have a documented status, the documented content type and a body matching the
schema; none may be a server error."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.endpoints import api
from wcc.wsgi import application

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Real codes as well as generated ones, so the answers with results are checked too.
REAL = {"year": "2009-10", "code": None}
REAL_CODES = {"/api/v1/pcts/{code}": "5C4", "/api/v1/shas/{code}": "Q36"}
# Small: enough for every parameter to vary, and the whole test well under 30 s on 2 cores.
EXAMPLES = 12


@pytest.fixture
def wsgi_requests_share_the_test_database():
    """The WSGI handler closes the connection at each request's start and end (as a server
    must); inside the test's transaction that would lose the data. Django's test Client
    disconnects the same receiver."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def served_schema(demo_data, wsgi_requests_share_the_test_database, settings):
    settings.API_REQUESTS_PER_MINUTE = 0  # hundreds of requests from one address, on purpose
    settings.ALLOWED_HOSTS = ["localhost"]  # the host schemathesis's WSGI client names
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def _run(operation, mode, path_parameters=None):
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,  # the same requests every run: a failure can be repeated
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def answers_as_documented(case):
        # The WSGI client decompresses nothing (a browser or requests would): ask for plain bytes.
        case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})

    answers_as_documented()


def test_every_operation_answers_as_its_schema_says(served_schema):
    operations = [result.ok() for result in served_schema.get_all_operations()]
    assert {operation.path for operation in operations} == set(api.get_openapi_schema()["paths"])
    for operation in operations:
        _run(operation, GenerationMode.POSITIVE)
        names = {parameter.name for parameter in operation.path_parameters}
        if names or list(operation.query):  # else there is nothing to send wrong
            _run(operation, GenerationMode.NEGATIVE)
        if names:
            real = {name: REAL_CODES.get(operation.path) or REAL[name] for name in names}
            _run(operation, GenerationMode.POSITIVE, real)
