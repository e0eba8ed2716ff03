"""OpenID Connect sign-in for real: a local provider (npm's oidc-provider run by node, tests/oidc/), two
workers behind HAProxy started with a secrets.toml pointing at it, and Chromium.

The account's role is granted in the store beforehand (to its e-mail address, as an admin would with
`python -m atlas.datasets grant`). The browser signs in through HAProxy with st.login (the provider's
login and consent pages), is then sent to the other worker (the affinity cookie changed) and is still
signed in there (the identity cookie is signed with the secret the workers share; the roles come from
the store), and publishes a pasted list. All accounts and data are synthetic; everything is loopback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from atlas.datasets import Store, operator
from benchmarks.common import ROOT, free_port
from deploy.serve import AFFINITY_COOKIE, SECRET_ENV, Cluster
from tests.e2e.test_browser import wait_idle
from tests.e2e.test_failover import NEEDS_CLUSTER

OIDC = ROOT / "tests" / "oidc"
NODE = shutil.which("node")

pytestmark = [
    *NEEDS_CLUSTER,
    pytest.mark.skipif(NODE is None, reason="node missing: the test's OpenID Connect provider runs on it"),
]

TIMEOUT = 180_000  # ms: a worker's first run of a page loads the data, slow on a busy machine
CLIENT_ID, CLIENT_SECRET = "atlas-synthetic", "synthetic-client-secret"
ACCOUNT = "synthetic-ana"  # the provider makes <account>@example.org, verified
NOTICE = "四川省：平武县、北川羌族自治县、马边彝族自治县\n广西壮族自治区：三江县"
SECRETS = """[auth]
redirect_uri = "{app}/oauth2callback"
cookie_secret = "synthetic-cookie-secret-shared-by-the-workers"
client_id = "{client_id}"
client_secret = "{client_secret}"
server_metadata_url = "{issuer}/.well-known/openid-configuration"
client_kwargs = {{ prompt = "login" }}
"""


def wait_ok(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {seconds:.0f} s")


@pytest.fixture
def oidc_cluster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Cluster, str, Store]]:
    if not (OIDC / "node_modules" / "oidc-provider").is_dir():
        if os.environ.get("CI"):
            pytest.fail("tests/oidc/node_modules is missing (make test runs npm ci there)")
        pytest.skip("tests/oidc/node_modules is missing: `make oidc` installs it")
    port, op_port = free_port(), free_port()
    app, issuer = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{op_port}"
    log = open(tmp_path / "oidc-provider.log", "wb")
    provider = subprocess.Popen(
        [NODE, "server.mjs", str(op_port), CLIENT_ID, CLIENT_SECRET, f"{app}/oauth2callback"],
        cwd=OIDC,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"sqlite:///{tmp_path / 'atlas.db'}"
    store = Store.open(url)
    store.grant(f"{ACCOUNT}@example.org", "publisher", operator())
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        SECRETS.format(app=app, issuer=issuer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET), "utf-8"
    )
    monkeypatch.setenv(SECRET_ENV, "test-secret-shared-by-the-workers")
    monkeypatch.setenv("ATLAS_DATABASE_URL", url)
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(secrets))
    try:
        wait_ok(f"{issuer}/.well-known/openid-configuration", provider)
        with Cluster([free_port(), free_port()], port, config=tmp_path / "haproxy.cfg", log_dir=tmp_path) as c:
            yield c, issuer, store
    finally:
        provider.terminate()
        provider.wait(timeout=10)
        log.close()
        store.close()


def worker_cookie(context) -> str:
    return next((c["value"] for c in context.cookies() if c["name"] == AFFINITY_COOKIE), "")


def test_an_oidc_sign_in_through_haproxy_lets_a_publisher_publish_on_either_worker(browser, oidc_cluster) -> None:
    cluster, issuer, store = oidc_cluster
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    try:
        page = context.new_page()
        page.goto(f"{cluster.url}/import?lang=en", wait_until="domcontentloaded")
        sidebar = page.locator('[data-testid="stSidebar"]')
        page.locator('[data-testid="stMain"]').get_by_text("Bring data").wait_for(timeout=TIMEOUT)
        wait_idle(page, still=False)
        sidebar.get_by_text("Sign in", exact=True).first.click(timeout=TIMEOUT)
        sidebar.get_by_role("button", name="Sign in with your organisation").click(timeout=TIMEOUT)

        # The provider's own pages: its development login (any user name) and the consent
        page.wait_for_url(f"{issuer}/**", timeout=TIMEOUT)
        page.locator('input[name="login"]').fill(ACCOUNT)
        page.locator('input[name="password"]').fill("any")
        page.locator('button[type="submit"]').click()
        page.wait_for_selector('button[type="submit"]:has-text("Continue")', timeout=TIMEOUT)
        page.locator('button[type="submit"]').click()
        page.wait_for_url(f"{cluster.url}/**", timeout=TIMEOUT)  # Streamlit sends it to the atlas's front page
        sidebar.get_by_text(f"已登录：Synthetic {ACCOUNT}").wait_for(timeout=TIMEOUT)
        first = worker_cookie(context)
        assert first in cluster.names()

        # Onto the other worker: the identity cookie verifies there too, and the roles come from the store
        other = next(name for name in cluster.names() if name != first)
        context.add_cookies([{"name": AFFINITY_COOKIE, "value": other, "url": cluster.url}])
        page.goto(f"{cluster.url}/import?lang=en", wait_until="domcontentloaded")
        sidebar.get_by_text(f"Signed in: Synthetic {ACCOUNT}").wait_for(timeout=TIMEOUT)
        sidebar.get_by_text("Roles: publisher").wait_for(timeout=TIMEOUT)
        assert worker_cookie(context) == other

        main = page.locator('[data-testid="stMain"]')
        wait_idle(page, still=False)
        main.get_by_text("Paste a list", exact=True).click(timeout=TIMEOUT)
        main.locator("textarea").fill(NOTICE)
        main.get_by_role("button", name="Match the list").click()
        main.get_by_text("Publish for everyone").wait_for(timeout=TIMEOUT)
        wait_idle(page, still=False)
        main.get_by_text("Key county list", exact=True).click()
        wait_idle(page, still=False)
        fields = {
            "Title": "Synthetic key list via OpenID Connect",
            "Source document title": "Synthetic notice",
            "Publisher": "Synthetic office",
            "Date": "2012-03-19",
            "Where found (web address, archive, office)": "tests/e2e/test_oidc.py",
        }
        for label, value in fields.items():
            main.get_by_label(label, exact=True).fill(value)
        main.get_by_role("button", name="Publish", exact=True).click()
        main.get_by_text("Published:").wait_for(timeout=TIMEOUT)

        [published] = store.datasets()
        assert published.title == fields["Title"]
        assert published.created_by == f"oidc:{issuer}|{ACCOUNT}"
        assert worker_cookie(context) == other
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()
