"""The page fixture's fresh tab: what one test leaves in the app's local storage, the next does not see."""

from __future__ import annotations

import pytest
from tabs import fresh_tab

pytestmark = pytest.mark.e2e


def test_a_fresh_tab_starts_without_the_local_storage_an_earlier_tab_left(shared_context, server) -> None:
    earlier = shared_context.new_page()
    earlier.goto(f"{server}/_stcore/health")
    earlier.evaluate("localStorage.setItem('synthetic-left-behind', '1')")
    earlier.close()
    tab = fresh_tab(shared_context, server)
    try:
        tab.goto(f"{server}/_stcore/health")
        assert tab.evaluate("localStorage.getItem('synthetic-left-behind')") is None
    finally:
        tab.close()
