"""Fixtures for the job-source tests (no Django needed).

``pytest_plugins`` is only allowed in the root conftest, so the fake-server fixture
is imported here instead; the test modules import it too so that they also run with
``--noconftest``.
"""

from tests.fakes.remoteok_server import remoteok_server  # noqa: F401
