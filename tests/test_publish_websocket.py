"""A viewer cannot publish by sending widget messages by hand, and an Import page whose upload the server no
longer holds says so: a real server (`python -m atlas.ui.server`) on a loopback port and its own SQLite
store, driven over Streamlit's websocket (protobuf BackMsg/ForwardMsg, benchmarks/common.py).

The publish form's widget ids are taken from a publisher's session on the same page (what an attacker
could learn by signing in anywhere, or by reading the source); the viewer's session then sends a rerun
whose widget states fill that form and press its button. Nothing may be stored, and the audit log shows
no publish. The same message in the publisher's session does publish: the forged message was complete.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetStates

from atlas.datasets import SourceCitation, Store, operator
from benchmarks.common import OUR_APP, ROOT, Server, StreamlitClient, in_thread

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not (ROOT / "geodata" / "counties.parquet").is_file(), reason="geodata not built"),
]

PAGE = "import"
PASTE = "Paste a list"  # the radio sends the option as shown
PASSPHRASE = "synthetic passphrase 1"
KIND = "Key county list"  # the publish form's kind, as shown: nothing is preselected
NOTICE = "四川省：平武县、北川羌族自治县、马边彝族自治县\n广西壮族自治区：三江县"
FORM = {  # the publish form's labels (English) -> what the forged message types in
    "Title": "Forged synthetic list",
    "Source document title": "Forged",
    "Publisher": "Forged office",
    "Date": "2012",
    "Where found (web address, archive, office)": "nowhere",
}


class TextClient(StreamlitClient):
    """A session that also keeps the text of every alert, caption and markdown it was sent (Markdown escapes
    taken out)."""

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url)
        self.texts: list[str] = []

    def _note_delta(self, fwd, errors: list[str]) -> int:
        element = fwd.delta.new_element if fwd.delta.WhichOneof("type") == "new_element" else None
        if element is not None and element.WhichOneof("type") in ("alert", "markdown"):
            self.texts.append(getattr(element, element.WhichOneof("type")).body.replace("\\", ""))  # unescaped
        return super()._note_delta(fwd, errors)

    def by_label(self, label: str) -> str:
        found = [wid for wid, proto in self.widgets.items() if getattr(proto, "label", None) == label]
        assert found, f"no widget labelled {label!r}"
        return found[-1]

    async def send(self, states: WidgetStates) -> None:
        self.texts.clear()
        result = await self.run(page_name=PAGE, widget_states=states, timeout=120)
        assert result.status == "FINISHED_SUCCESSFULLY", (result.status, result.errors)


def state(states: WidgetStates, widget_id: str, **value) -> None:
    item = states.widgets.add()
    item.id = widget_id
    for field, v in value.items():
        setattr(item, field, v)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Store]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'atlas.db'}"
    store = Store.open(url)
    store.create_account("alice", PASSPHRASE, ["publisher"], actor=operator())
    store.create_account("root", PASSPHRASE, ["admin"], actor=operator())
    with Server(OUR_APP, env={"ATLAS_DATABASE_URL": url}) as running:
        yield running, store
    store.close()


def kept_values(client: TextClient) -> WidgetStates:
    """The values the browser sends again with every rerun: the pasted list (as the frontend keeps them)."""
    states = WidgetStates()
    state(states, client.widget_id("import_kind"), string_value=PASTE)
    state(states, client.widget_id("import_text"), string_value=NOTICE)
    return states


async def pasted(client: TextClient) -> None:
    """Open the Import page in English and match the pasted list, as a person would."""
    await client.connect(timeout=60)
    result = await client.run(page_name=PAGE, query_string="lang=en", timeout=120)
    assert result.status == "FINISHED_SUCCESSFULLY", result.errors
    states = WidgetStates()
    state(states, client.widget_id("import_kind"), string_value=PASTE)
    await client.send(states)
    states = kept_values(client)
    state(states, client.widget_id("import_paste_go"), trigger_value=True)
    await client.send(states)
    assert any("pasted text, 4 rows" in text for text in client.texts), client.texts


async def signed_in(client: TextClient, user: str = "alice", kept: bool = True) -> None:
    """Sign in with the sidebar's form: the page runs again with the publish form."""
    states = kept_values(client) if kept else WidgetStates()
    state(states, client.widget_id("account_user"), string_value=user)
    state(states, client.widget_id("account_pass"), string_value=PASSPHRASE)
    state(states, client.by_label("Sign in"), trigger_value=True)
    await client.send(states)
    assert any(f"Signed in: {user}" in text for text in client.texts), client.texts


def forged_ones(store: Store) -> list:
    return [d for d in store.datasets() if d.title == FORM["Title"]]


def forged(publisher: TextClient, viewer: TextClient) -> WidgetStates:
    """The viewer's kept widget values, plus the publisher's form filled in and its button pressed."""
    states = kept_values(viewer)
    for label, value in FORM.items():
        state(states, publisher.by_label(label), string_value=value)
    state(states, publisher.widget_id("publish_kind"), string_value=KIND)
    state(states, publisher.by_label("Publish"), trigger_value=True)
    state(states, "account_actor", string_value="local:alice")  # a widget named like the session's actor
    return states


def test_a_viewer_cannot_publish_by_forged_widget_messages(server: tuple[Server, Store]) -> None:
    running, store = server

    async def scenario() -> tuple[list[str], list[str]]:
        publisher, viewer = TextClient(running.url), TextClient(running.url)
        await pasted(publisher)
        await signed_in(publisher)
        states = kept_values(publisher)
        state(states, publisher.widget_id("publish_kind"), string_value=KIND)
        await publisher.send(states)  # the publish form is drawn now: its widget ids are known
        assert [p for p in publisher.widgets.values() if getattr(p, "label", "") == "Publish"]
        await pasted(viewer)
        assert not [p for p in viewer.widgets.values() if getattr(p, "label", "") == "Publish"]
        await viewer.send(forged(publisher, viewer))
        viewer_saw = list(viewer.texts)
        assert not forged_ones(store), "a viewer's forged message published something"
        await publisher.send(forged(publisher, publisher))  # the control: the same message, signed in
        publisher_saw = list(publisher.texts)
        await viewer.close()
        await publisher.close()
        return viewer_saw, publisher_saw

    viewer_saw, publisher_saw = in_thread(scenario())
    assert not any("Published:" in text for text in viewer_saw)
    [published] = forged_ones(store)
    assert published.created_by == "local:alice"
    audit = store.audit()
    publishes = audit.loc[audit["action"] == "publish"]
    assert list(publishes.loc[publishes["detail"].str.contains(FORM["Title"]), "actor"]) == ["local:alice"]
    assert any("Published:" in text for text in publisher_saw)


def test_a_viewer_cannot_withdraw_or_choose_defaults_by_forged_widget_messages(server: tuple[Server, Store]) -> None:
    running, store = server
    listed = store.publish(
        "key",
        "Synthetic list to withdraw",
        SourceCitation("Synthetic notice", "Synthetic office", "2012", "tests"),
        pd.DataFrame({"code": ["510727"], "name_zh": ["平武县"]}),
        pd.DataFrame(
            {"input_row": pd.array([1], dtype="Int64"), "status": "matched", "code": "510727", "method": "name"}
        ),
        actor=store.sign_in("alice", PASSPHRASE),
        file_name="synthetic.csv",
        sha256="0" * 64,
    )
    before = len(store.audit())

    async def scenario() -> None:
        admin, viewer = TextClient(running.url), TextClient(running.url)
        for client in (admin, viewer):
            await client.connect(timeout=60)
            await client.run(page_name="datasets", query_string=f"lang=en&dataset={listed.ref}", timeout=120)
        await signed_in(admin, "root", kept=False)  # the admin's page: the withdraw form and the defaults
        states = WidgetStates()
        state(states, admin.by_label("Why (required, shown to everyone)"), string_value="forged")
        state(states, admin.by_label("Withdraw"), trigger_value=True)
        state(states, admin.widget_id("datasets_default_key"), string_value=listed.ref)
        assert not [p for p in viewer.widgets.values() if getattr(p, "label", "") == "Withdraw"]
        await viewer.send(states)
        assert store.get(listed.ref).withdrawn_at is None and store.defaults() == {}
        await admin.send(states)  # the control: the same message from the admin acts
        await viewer.close()
        await admin.close()

    in_thread(scenario())
    audit = store.audit().iloc[: len(store.audit()) - before]  # newest first: what the scenario added
    acted = audit.loc[audit["action"].isin(["withdraw", "set_default"])]
    assert sorted(acted["action"]) == ["set_default", "withdraw"] and set(acted["actor"]) == {"local:root"}


def test_an_import_page_whose_upload_is_gone_says_the_session_ended(server: tuple[Server, Store]) -> None:
    running, _ = server

    async def scenario() -> list[str]:
        client = TextClient(running.url)
        await client.connect(timeout=60)
        await client.run(page_name=PAGE, query_string="lang=en", timeout=120)
        # What the browser sends after a restart: the uploader still names the file it uploaded before
        states = WidgetStates()
        item = states.widgets.add()
        item.id = client.widget_id("import_file")
        info = item.file_uploader_state_value.uploaded_file_info.add()
        info.file_id, info.name, info.size = "uploaded-to-the-old-server", "county_list.csv", 120
        await client.send(states)
        await client.close()
        return client.texts

    texts = in_thread(scenario())
    assert any("The session ended" in text and "bring it again" in text for text in texts), texts
