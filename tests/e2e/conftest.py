"""A real browser for end-to-end tests: Playwright driving Debian's chromium, headless.

No browser is downloaded (``playwright install`` needs the internet): the system chromium
is used, installed by ``scripts/install_system_packages.sh``; without it these tests skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Page, expect, sync_playwright

# The real corpus (``corpus`` from tests/corpus.py, the same one the recommendation tests
# use) asks for ``db``; with ``live_server`` in the test pytest-django makes that the
# transactional database the live server can see.

CHROMIUM = Path("/usr/bin/chromium")
# Ceilings, never delays: a wait ends as soon as its condition holds. Page steps get
# WAIT_MS; reading a resume and ranking the corpus on a slow, shared machine gets READ_MS.
WAIT_MS = 15_000
READ_MS = 90_000


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Page]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (scripts/install_system_packages.sh installs it)")
    # Playwright's sync API keeps an asyncio loop running in this thread, and Django then
    # refuses ORM calls from it (SynchronousOnlyOperation). The ORM is only ever called
    # from this one thread, never from the loop's tasks, so allow it, for browser tests only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        context.set_default_timeout(WAIT_MS)
        # Assertions (expect) have a timeout of their own, 5 s unless told.
        expect.set_options(timeout=WAIT_MS)
        try:
            yield context.new_page()
        finally:
            expect.set_options(timeout=5_000)
            context.close()
            browser.close()
            # While that loop runs, Django keeps this thread's connections apart from the
            # ones it has without it (asgiref's Local follows the running loop), so the
            # ORM calls made meanwhile opened a second connection. Close it here, where it
            # is visible, or it stays open and the test database cannot be dropped.
            connections.close_all()
