"""The review application in a real browser: Playwright driving Debian's Chromium
against the real server, on copies of the example project.  Each test clicks, types and
uses the shortcuts as a reviewer would, then reads the PO files from disk."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_projects import example_project
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    expect,
    sync_playwright,
)
from review_support import REPO, running, snapshot

from l10n.pipeline import extract
from l10n.pipeline.project import load_project
from l10n.review.server import ReviewServer

CHROMIUM = "/usr/bin/chromium"
# A save is a round trip through the server and the disk: on a busy 2-core CI machine it
# can take longer than Playwright's 5 s default for what the page then shows.
expect.set_options(timeout=15_000)
BRIEF = "briefs/sora-explainer.html"
COMMENTARY = "commentary/ai-initiative.html"
SAVED = re.compile(r"^saved as a draft", re.IGNORECASE)
APPROVED = re.compile(r"^approved", re.IGNORECASE)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Root (CI containers) cannot use Chromium's own sandbox; the page sandbox stays.
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        yield browser
        browser.close()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return example_project(tmp_path)


@pytest.fixture
def server(root: Path) -> Iterator[ReviewServer]:
    with running(root) as server:
        yield server


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(10_000)
    yield context
    context.close()


def open_article(context: BrowserContext, server: ReviewServer, lang: str, rel: str) -> Page:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server.guard.origin}/article/{lang}/{rel}?token={server.guard.token}")
    assert page.url == f"{server.guard.origin}/article/{lang}/{rel}"  # token gone
    page.wait_for_selector("body[data-ready]")
    assert errors == []
    return page


def po_path(root: Path, lang: str, rel: str) -> Path:
    return root / "locales" / lang / rel.replace(".html", ".po")


def blocks(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n\n")


def changed_blocks(before: list[str], after: list[str]) -> list[str]:
    assert len(before) == len(after)
    return [b for a, b in zip(before, after, strict=True) if a != b]


def msgfmt_check(path: Path) -> None:
    done = subprocess.run(
        ["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def click_segment(page: Page, selector: str, nth: int = 0, *, text: str | None = None) -> str:
    found = page.frame_locator("#page-frame").locator(selector)
    segment = (found if text is None else found.filter(has_text=text)).nth(nth)
    segment.click()
    entry_id = segment.get_attribute("data-l10n-id")
    assert entry_id
    expect(page.locator("#editor-body")).to_be_visible()
    return entry_id


def segment(page: Page, entry_id: str, frame: str = "#page-frame") -> Locator:
    return page.frame_locator(frame).locator(f'[data-l10n-id="{entry_id}"]').first


def retype(page: Page, text: str) -> None:
    page.locator("#msgstr").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_index_sorts_filters_and_opens_an_article(
    context: BrowserContext, server: ReviewServer
) -> None:
    page = context.new_page()
    page.goto(server.url)
    assert page.url == f"{server.guard.origin}/"
    rows = page.locator("#rows tr")
    expect(rows).to_have_count(8)
    page.select_option("#lang", "es")
    expect(rows).to_have_count(2)
    page.click('button[data-sort="machine"]')
    page.click('button[data-sort="machine"]')  # again: descending
    expect(rows.first.locator("td").first).to_have_text(COMMENTARY)
    assert "sort=-machine" in page.url and "lang=es" in page.url
    page.fill("#q", "sora")
    expect(rows).to_have_count(1)
    rows.first.locator("a").click()
    page.wait_for_selector("body[data-ready]")
    assert page.url == f"{server.guard.origin}/article/es/{BRIEF}"


def test_spanish_save_then_approve_changes_only_that_entry(
    context: BrowserContext, server: ReviewServer, root: Path
) -> None:
    po = po_path(root, "es", COMMENTARY)
    original = blocks(po)
    rest = snapshot(root)
    page = open_article(context, server, "es", COMMENTARY)
    entry_id = click_segment(page, 'p[data-l10n-state="machine"]', text="Aquella cuestión")
    expect(segment(page, entry_id)).to_have_class(re.compile("l10n-selected"))
    typed = "Texto revisado con <b>marcas</b> & más."
    retype(page, typed)
    expect(page.locator("#dirty")).to_be_visible()
    expect(page.locator("#findings")).to_contain_text("PH003")  # live check of the typed text
    page.keyboard.press("Control+S")
    expect(page.locator("#message")).to_have_text(SAVED)
    draft = changed_blocks(original, blocks(po))
    assert len(draft) == 1
    assert "#, fuzzy" in draft[0]
    assert 'msgstr "Texto revisado con <b>marcas</b> & más."' in draft[0]
    # The page shows the markup as the text it is, exactly as publish writes it.
    shown = segment(page, entry_id)
    expect(shown).to_have_attribute("data-l10n-state", "machine")
    expect(shown).to_contain_text(typed)
    assert shown.locator("b").count() == 0
    page.click("#approve")
    expect(page.locator("#message")).to_have_text(APPROVED)
    approved = changed_blocks(original, blocks(po))
    assert len(approved) == 1
    assert "fuzzy" not in approved[0] and "#|" not in approved[0]
    assert 'msgstr "Texto revisado con <b>marcas</b> & más."' in approved[0]
    expect(segment(page, entry_id)).to_have_attribute("data-l10n-state", "reviewed")
    msgfmt_check(po)
    now = snapshot(root)
    key = str(po.relative_to(root))
    assert {k: v for k, v in now.items() if k != key} == {k: v for k, v in rest.items() if k != key}


def test_chinese_with_the_keyboard_shortcuts(
    context: BrowserContext, server: ReviewServer, root: Path
) -> None:
    po = po_path(root, "zh-Hans", COMMENTARY)
    original = blocks(po)
    page = open_article(context, server, "zh-Hans", COMMENTARY)
    page.keyboard.press("Alt+ArrowDown")
    expect(page.locator("#entry-pos")).to_have_text(re.compile(r"^\(1 of \d+\)$"))
    page.keyboard.press("Alt+ArrowDown")
    expect(page.locator("#entry-pos")).to_have_text(re.compile(r"^\(2 of "))
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator("#entry-pos")).to_have_text(re.compile(r"^\(1 of "))
    first = page.locator("#entry-source").text_content()
    assert first
    retype(page, "中国的人工智能未来将在国内书写 | The Meridian Review")
    page.keyboard.press("Control+Enter")
    # Approved, and on to the next entry that needs work.
    expect(page.locator("#entry-pos")).to_have_text(re.compile(r"^\(2 of "))
    expect(page.locator("#message")).to_have_text(APPROVED)
    changed = changed_blocks(original, blocks(po))
    assert len(changed) == 1
    assert 'msgstr "中国的人工智能未来将在国内书写 | The Meridian Review"' in changed[0]
    assert "fuzzy" not in changed[0]
    # A segment clicked on the page, approved with Ctrl+Enter.
    entry_id = click_segment(page, 'p[data-l10n-state="untranslated"]', 0)
    retype(page, "索拉重新引发了争论。")
    page.keyboard.press("Control+Enter")
    expect(segment(page, entry_id)).to_have_attribute("data-l10n-state", "reviewed")
    expect(segment(page, entry_id)).to_have_text(re.compile("索拉重新引发了争论。"))
    assert len(changed_blocks(original, blocks(po))) == 2
    msgfmt_check(po)


def test_arabic_page_is_right_to_left_and_edits_land(
    context: BrowserContext, server: ReviewServer, root: Path
) -> None:
    po = po_path(root, "ar", BRIEF)
    original = blocks(po)
    page = open_article(context, server, "ar", BRIEF)
    frame = page.frame_locator("#page-frame")
    expect(frame.locator("html")).to_have_attribute("dir", "rtl")
    entry_id = click_segment(page, 'p[data-l10n-state="reviewed"]', 1)
    expect(page.locator("#msgstr")).to_have_attribute("dir", "rtl")
    expect(page.locator("#entry-source")).to_have_attribute("dir", "ltr")
    page.check("#show-source")
    source = segment(page, entry_id, "#source-frame")
    expect(source).to_have_class(re.compile("l10n-selected"))
    expect(page.frame_locator("#source-frame").locator("html")).not_to_have_attribute("dir", "rtl")
    retype(page, "يحوّل سورا نصًا قصيرًا إلى مقطع فيديو.")
    page.click("#save")
    expect(page.locator("#message")).to_have_text(SAVED)
    expect(segment(page, entry_id)).to_have_attribute("data-l10n-state", "machine")
    page.keyboard.press("Control+Enter")
    expect(segment(page, entry_id)).to_have_attribute("data-l10n-state", "reviewed")
    changed = changed_blocks(original, blocks(po))
    assert len(changed) == 1
    assert "يحوّل سورا نصًا قصيرًا إلى مقطع فيديو." in changed[0] and "fuzzy" not in changed[0]
    msgfmt_check(po)


def test_approve_is_refused_when_placeholders_break(
    context: BrowserContext, server: ReviewServer, root: Path
) -> None:
    po = po_path(root, "es", BRIEF)
    before = po.read_bytes()
    page = open_article(context, server, "es", BRIEF)
    click_segment(page, 'p[data-l10n-state="reviewed"]', 0)  # the one with <1> and <2>
    retype(page, "Sora es un modelo sin marcas.")
    expect(page.locator("#findings")).to_contain_text("PH001")
    page.click("#approve")
    expect(page.locator("#message")).to_have_text(re.compile("^Not saved"))
    assert po.read_bytes() == before
    expect(page.locator("#msgstr")).to_have_value("Sora es un modelo sin marcas.")


def test_edit_on_disk_while_the_page_is_open(
    context: BrowserContext, server: ReviewServer, root: Path
) -> None:
    po = po_path(root, "es", BRIEF)
    page = open_article(context, server, "es", BRIEF)
    entry_id = click_segment(page, 'p[data-l10n-state="reviewed"]', 1)
    retype(page, "Mi versión del párrafo.")
    # Meanwhile a translator saves the same entry in Poedit.
    text = po.read_text(encoding="utf-8")
    outside = text.replace('"Sora convierte una breve', '"Sora transforma una breve', 1)
    assert outside != text
    po.write_text(outside, encoding="utf-8")
    page.click("#save")
    expect(page.locator("#conflict")).to_be_visible()
    expect(page.locator("#conflict-fresh")).to_contain_text("Sora transforma una breve")
    expect(page.locator("#msgstr")).to_have_value("Mi versión del párrafo.")  # nothing lost
    assert po.read_text(encoding="utf-8") == outside
    # The fresh state is on the page too.
    expect(segment(page, entry_id)).to_contain_text("Sora transforma una breve")
    page.click("#keep-mine")
    expect(page.locator("#message")).to_have_text(SAVED)
    now = po.read_text(encoding="utf-8")
    assert "Mi versión del párrafo." in now and "Sora transforma una breve" not in now
    # Another entry edited on disk: this entry is unchanged there, so the save goes in
    # and the other edit stays.
    other = now.replace('"Sitio web de OpenAI"', '"Web de OpenAI"')
    po.write_text(other, encoding="utf-8")
    retype(page, "Mi segunda versión.")
    page.keyboard.press("Control+S")
    expect(page.locator("#message")).to_have_text(SAVED)
    final = po.read_text(encoding="utf-8")
    assert '"Web de OpenAI"' in final and "Mi segunda versión." in final
    msgfmt_check(po)


def test_typed_text_survives_moving_on_and_leaving_asks(
    context: BrowserContext, server: ReviewServer, root: Path
) -> None:
    before = snapshot(root)
    page = open_article(context, server, "es", BRIEF)
    first = click_segment(page, 'p[data-l10n-state="reviewed"]', 1)
    retype(page, "Texto sin guardar.")
    click_segment(page, 'p[data-l10n-state="reviewed"]', 2)
    expect(page.locator("#msgstr")).not_to_have_value("Texto sin guardar.")
    segment(page, first).click()
    expect(page.locator("#msgstr")).to_have_value("Texto sin guardar.")
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.click("a.back")
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    assert page.url.endswith(f"/article/es/{BRIEF}")
    expect(page.locator("#msgstr")).to_have_value("Texto sin guardar.")
    assert snapshot(root) == before


def test_scripts_of_the_article_do_not_run(
    context: BrowserContext, tmp_path: Path
) -> None:
    root = example_project(tmp_path)
    hostile = (
        "<!doctype html><html lang=en><head><title>Hostile page</title>"
        '<meta http-equiv="refresh" content="0;url=/api/index">'
        '<base href="http://evil.example/">'
        "<script>document.documentElement.setAttribute('data-ran', 'script');"
        "fetch('/api/save', {method: 'POST', body: '{}'});"
        "parent.document.body.setAttribute('data-pwned', '1');</script></head>"
        "<body><p>A paragraph that reviewers read.</p>"
        "<img src=missing.png onerror=\"document.documentElement.setAttribute('data-ran','img')\">"
        "<form action=/api/save method=post><button>Go</button></form>"
        "<a href=\"javascript:document.documentElement.setAttribute('data-ran','link')\">x</a>"
        "</body></html>"
    )
    (root / "articles" / "hostile.html").write_text(hostile, encoding="utf-8")
    extract(load_project(root), ["hostile.html"])
    before = snapshot(root)
    with running(root) as server:
        api_calls: list[str] = []
        page = context.new_page()
        page.on("request", lambda r: api_calls.append(r.url) if "/api/save" in r.url else None)
        page.goto(f"{server.guard.origin}/article/es/hostile.html?token={server.guard.token}")
        page.wait_for_selector("body[data-ready]")
        frame = page.frame_locator("#page-frame")
        expect(frame.locator("p")).to_contain_text("A paragraph that reviewers read.")
        frame.locator("a").click()
        frame.locator("button").click()
        page.wait_for_timeout(300)
        assert page.frames[1].url.startswith(f"{server.guard.origin}/frame/page/es/hostile.html")
        assert frame.locator("html").get_attribute("data-ran") is None
        assert page.locator("body").get_attribute("data-pwned") is None
        # Opened on its own, outside the review page, the frame's URL runs no script either.
        alone = context.new_page()
        alone.goto(f"{server.guard.origin}/frame/page/es/hostile.html")
        expect(alone.locator("p")).to_have_text("A paragraph that reviewers read.")
        assert alone.locator("html").get_attribute("data-ran") is None
        assert api_calls == []
    assert snapshot(root) == before


def test_screenshots_for_the_readme(
    context: BrowserContext, server: ReviewServer, tmp_path: Path
) -> None:
    # L10N_SCREENSHOTS=docs writes the README's pictures; a plain run leaves the
    # checkout as it was (another machine's fonts would change the bytes).
    docs = REPO / "docs" if os.environ.get("L10N_SCREENSHOTS") == "docs" else tmp_path
    docs.mkdir(exist_ok=True)
    page = context.new_page()
    page.goto(server.url)
    expect(page.locator("#rows tr")).to_have_count(8)
    page.screenshot(path=str(docs / "review-index.png"))
    page = open_article(context, server, "es", COMMENTARY)
    click_segment(page, 'p[data-l10n-state="machine"]', 1)
    page.locator("#msgstr").press("End")
    page.keyboard.type(" AI")  # a forbidden term: the live check says so
    expect(page.locator("#findings")).to_contain_text("GL002")
    page.screenshot(path=str(docs / "review-article.png"))
    assert (docs / "review-index.png").stat().st_size > 10_000
    assert (docs / "review-article.png").stat().st_size > 10_000
