"""Publishing and the Datasets page run headless with streamlit.testing, each test on its own SQLite store
(ATLAS_DATABASE_URL in a temporary folder): a viewer sees no publish form, a publisher publishes a list
with its provenance (the missing source field named), repeated wrong passphrases are slowed down, a
publisher cannot withdraw another's version, an admin sets defaults and sees the audit log, hostile
titles and citations stay text, and a bad or unknown `dataset=` gives a notice. All data synthetic."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas.datasets import NotAllowed, SourceCitation, Store, operator
from tests.paths import APP

TIMEOUT = 120
PASSPHRASE = "synthetic passphrase 1"
# Real county names as a provincial notice lists them (the Import page's own test list)
NOTICE = "四川省：平武县、北川羌族自治县、马边彝族自治县\n广西壮族自治区：三江县"
HOSTILE = '<img src=x onerror=alert(1)> **bold** [link](javascript:alert(1)) $x^2$ =HYPERLINK("http://x")'
UNESCAPED_MARKUP = re.compile(r"(?<!\\)<(img|b|script)\b|(?<!\\)\*\*bold(?<!\\)\*\*|(?<!\\)\[link(?<!\\)\]", re.I)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    url = f"sqlite:///{tmp_path / 'atlas.db'}"
    monkeypatch.setenv("ATLAS_DATABASE_URL", url)
    opened = Store.open(url)
    opened.create_account("alice", PASSPHRASE, ["publisher"], actor=operator())
    opened.create_account("bob", PASSPHRASE, ["publisher"], actor=operator())
    opened.create_account("root", PASSPHRASE, ["admin"], actor=operator())
    yield opened
    opened.close()


def synthetic_list(store: Store, user: str, title: str = "Synthetic key list", source: SourceCitation | None = None):
    """A two-county key list published by `user` through the API (made-up provenance)."""
    rows = pd.DataFrame({"code": ["510727", "511133"], "name_zh": ["平武县", "马边彝族自治县"]})
    report = pd.DataFrame(
        {"input_row": pd.array([1, 2], dtype="Int64"), "status": "matched", "code": rows["code"], "method": "name"}
    )
    who = store.sign_in(user, PASSPHRASE)
    return store.publish(
        "key",
        title,
        source or SourceCitation("Synthetic notice", "Synthetic office", "2012-03-19", "tests"),
        rows,
        report,
        actor=who,
        file_name="synthetic.csv",
        sha256=hashlib.sha256(title.encode()).hexdigest(),
    )


def no_failures(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def open_page(script: str, dataset: str | None = None, **params: str) -> AppTest:
    """The page in a new session with these URL parameters; `dataset` as a `dataset=` link gives it (the
    first run is the default page, which would drop it: it is put in the view as the URL parsed it)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if dataset is not None:
        at.session_state["view"] = replace(at.session_state["view"], dataset=dataset)
    at.switch_page(script).run()
    no_failures(at)
    return at


def sign_in(at: AppTest, user: str, passphrase: str = PASSPHRASE) -> AppTest:
    at.sidebar.text_input(key="account_user").input(user)
    at.sidebar.text_input(key="account_pass").input(passphrase)
    next(b for b in at.sidebar.button if b.label in ("登录", "Sign in")).click().run()
    no_failures(at)
    return at


def paste(at: AppTest, text: str = NOTICE) -> AppTest:
    at.radio(key="import_kind").set_value("paste").run()
    at.text_area(key="import_text").input(text)
    at.button(key="import_paste_go").click().run()
    no_failures(at)
    return at


def fill(at: AppTest, **values: str) -> None:
    labels = [w.label for w in at.text_input]
    for label, value in values.items():
        at.text_input[labels.index(label)].input(value)


def publish_button(at: AppTest):
    return next(b for b in at.button if b.label in ("发布", "Publish"))


def test_a_viewer_sees_no_publish_form(store: Store) -> None:
    at = paste(open_page("pages/import_data.py"))
    assert "发布给所有人" in [h.value for h in at.header]
    assert not [b for b in at.button if b.label == "发布"], "a viewer must not get the publish button"
    assert any("发布者角色" in c.value for c in at.caption)


def test_a_publisher_publishes_a_list_with_its_provenance(store: Store) -> None:
    at = paste(sign_in(open_page("pages/import_data.py", lang="en"), "alice"))
    # Nothing chosen for the publisher: no kind preselected, no form until one is picked.
    assert at.radio(key="publish_kind").value is None
    assert not [b for b in at.button if b.label == "Publish"]
    assert any("Choose what it is first" in c.value for c in at.caption)
    at.radio(key="publish_kind").set_value("key").run()
    fill(at, **{"Title": "Synthetic key list", "Source document title": "Synthetic notice"})
    publish_button(at).click().run()
    assert [e.value for e in at.error] == ["Not published: “Publisher” is missing. No source, no publish."]
    assert store.datasets() == []
    fill(
        at,
        **{
            "Title": "Synthetic key list",
            "Source document title": "Synthetic notice",
            "Publisher": "Synthetic office",
            "Date": "2012-03-19",
            "Where found (web address, archive, office)": "tests/test_publish_page.py",
        },
    )
    publish_button(at).click().run()
    no_failures(at)
    assert not at.error, [e.value for e in at.error]
    [summary] = store.datasets()
    assert (summary.kind, summary.title, summary.latest_version, summary.created_by) == (
        "key",
        "Synthetic key list",
        1,
        "local:alice",
    )
    version = store.get(summary.dataset_id, 1)
    assert version.source == SourceCitation(
        "Synthetic notice", "Synthetic office", "2012-03-19", "tests/test_publish_page.py"
    )
    assert version.file_name == "pasted text" and len(version.sha256) == 64
    rows = store.rows(summary.dataset_id, 1)
    assert list(rows.columns) == ["code", "name_zh"] and len(rows) == 4
    report = store.report(summary.dataset_id, 1)
    assert {"input_row", "status", "code", "method"} <= set(report.columns) and len(report) == 4
    assert any(f"{summary.dataset_id}@1" in s.value.replace("\\", "") for s in at.success)
    links = " ".join(m.value for m in at.markdown)
    assert f"(datasets?dataset={summary.dataset_id}@1&lang=en)" in links
    assert f"(county_map?layer=key&ds={summary.dataset_id}@1&lang=en)" in links  # a view that can be a slide
    audit = store.audit()
    assert list(audit.loc[audit["action"] == "publish", "actor"]) == ["local:alice"]

    # Publishing again as a new version of the same dataset makes version 2
    at.selectbox(key="publish_target_key").set_value(summary.dataset_id).run()
    publish_source = {
        "Source document title": "Synthetic notice",
        "Publisher": "Synthetic office",
        "Date": "2012",
        "Where found (web address, archive, office)": "tests",
    }
    fill(at, **publish_source)
    publish_button(at).click().run()
    assert not at.error, [e.value for e in at.error]
    assert [v.version for v in store.versions(summary.dataset_id)] == [1, 2]


def test_repeated_wrong_passphrases_are_slowed_down(store: Store) -> None:
    at = open_page("pages/overview.py", lang="en")
    assert not [b for b in at.sidebar.button if "organisation" in b.label]  # no [auth] in secrets: no single sign-on
    for _ in range(3):
        sign_in(at, "alice", "wrong passphrase!")
    refusal = [e.value for e in at.sidebar.error]
    assert refusal and "try again in" in refusal[0], refusal
    sign_in(at, "alice")  # the right passphrase, too soon: not even checked
    assert "this one was not checked" in at.sidebar.error[0].value
    assert not any("Signed in" in c.value for c in at.sidebar.caption)
    audit = store.audit()
    assert (audit["action"] == "sign_in_refused").sum() == 3


def test_a_publisher_cannot_withdraw_anothers_version(store: Store) -> None:
    bobs = synthetic_list(store, "bob")
    at = sign_in(open_page("pages/datasets.py", lang="en", dataset=bobs.ref), "alice")
    assert [s.value for s in at.subheader] == ["Synthetic key list"]
    assert not [b for b in at.button if b.label == "Withdraw"], "alice must not get bob's withdraw button"
    with pytest.raises(NotAllowed):
        store.withdraw(bobs.dataset_id, 1, "not mine", store.sign_in("alice", PASSPHRASE))

    # Her own version she may withdraw, with a reason, and the page then says who, when and why
    hers = synthetic_list(store, "alice", "Synthetic list of alice")
    at = sign_in(open_page("pages/datasets.py", lang="en", dataset=hers.ref), "alice")
    withdraw = next(b for b in at.button if b.label == "Withdraw")
    withdraw.click().run()
    assert [e.value for e in at.error] == ["Not withdrawn: the reason is required."]
    at.text_input[[w.label for w in at.text_input].index("Why (required, shown to everyone)")].input("a typo")
    next(b for b in at.button if b.label == "Withdraw").click().run()
    no_failures(at)
    assert store.get(hers.ref).withdraw_reason == "a typo"
    assert store.get(bobs.ref).withdrawn_at is None
    said = " ".join(e.value for e in at.error).replace("\\", "")
    assert "withdrawn on" in said and "by local:alice because a typo" in said


def test_an_admin_sets_a_default_and_reads_the_audit_log(store: Store) -> None:
    listed = synthetic_list(store, "bob")
    at = open_page("pages/datasets.py", lang="en")
    assert "The atlas's default lists" not in [h.value for h in at.header]  # not for viewers
    sign_in(at, "alice")
    assert "Audit log" not in [h.value for h in at.header]  # nor for publishers
    sign_in(at.button(key="account_sign_out").click().run(), "root")
    assert "Audit log" in [h.value for h in at.header]
    at.selectbox(key="datasets_default_key").set_value(listed.ref).run()
    no_failures(at)
    assert store.defaults()["key"].ref == listed.ref
    audit = store.audit()
    assert audit.loc[audit["action"] == "set_default", "actor"].tolist() == ["local:root"]


def test_hostile_titles_and_citations_stay_text(store: Store) -> None:
    hostile = synthetic_list(
        store, "bob", HOSTILE, SourceCitation(HOSTILE, HOSTILE, "2012", "<script>alert(1)</script>")
    )
    at = open_page("pages/datasets.py", lang="en", dataset=hostile.ref)
    shown = [m.value for m in at.markdown] + [s.value for s in at.subheader] + [c.value for c in at.caption]
    assert not [text for text in shown if UNESCAPED_MARKUP.search(text)], shown
    assert not [h for h in at.get("html") if "onerror" in h.proto.body or "alert(1)" in h.proto.body]
    [citation] = [x.value for x in at.text]
    assert "<script>alert(1)</script>" in citation and HOSTILE in citation  # as typed, as text


@pytest.mark.parametrize("ref", ["no-such-dataset@1", "BAD..ref", "x@0"])
def test_a_bad_or_unknown_dataset_link_gives_a_notice(store: Store, ref: str) -> None:
    at = open_page("pages/datasets.py", lang="en", dataset=ref)
    assert any(("not in the store" in w.value) or ("not a dataset reference" in w.value) for w in at.warning), [
        w.value for w in at.warning
    ]


def test_add_this_view_on_import_says_the_upload_is_not_included(store: Store) -> None:
    at = paste(open_page("pages/import_data.py", lang="en"))
    at.button(key="story_add").click().run()
    assert any("The upload is not included in a slide" in toast.value for toast in at.toast)
    assert "story" not in at.session_state or not at.session_state["story"].slides


def test_a_store_that_cannot_be_used_gives_a_banner_not_a_crash(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ATLAS_DATABASE_URL", f"sqlite:///{tmp_path / 'no such folder' / 'atlas.db'}")
    at = open_page("pages/datasets.py", lang="en")
    assert any("The shared dataset store cannot be used" in w.value for w in at.warning), [w.value for w in at.warning]
    assert any("the datasets cannot be listed" in i.value for i in at.info)
    sign_in(at, "alice")
    assert "nobody can sign in just now" in at.sidebar.error[0].value


def test_rows_left_out_say_why_in_the_pages_language(store: Store) -> None:
    at = paste(sign_in(open_page("pages/import_data.py"), "alice"), NOTICE + "、合成虚构县")  # zh: the default
    at.radio(key="publish_kind").set_value("key").run()
    no_failures(at)
    [left] = [d.value for d in at.dataframe if "原因" in d.value.columns]
    assert list(left.columns) == ["输入行", "原因"]
    assert left["原因"].tolist() == ["未对应到任何县"]  # not the English "not placed on a county"
