"""The web page (src/scholarflow/server/static), driven in a real browser against a real server.

A uvicorn server runs on 127.0.0.1 in a thread, and Debian's Chromium (/usr/bin/chromium, see
scripts/install-browser.sh; Playwright's own browser download is never used) loads the page
through Playwright. The app is `scholarflow.server.app.create_app`, with a fresh catalog; the
page is mounted around it (at / and /static) only if the app does not serve it itself.

Without Chromium these tests skip on a developer's machine and fail when CI=true.
SCHOLARFLOW_CHROMIUM names another Chromium executable.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "src" / "scholarflow" / "server" / "static"
ARTIFACTS = Path(__file__).parent / "artifacts"
# Another Chromium build can be named with SCHOLARFLOW_CHROMIUM; the default is Debian's.
CHROMIUM = Path(os.environ.get("SCHOLARFLOW_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PAGE_MARKER = 'name="scholarflow-page"'
SWAGGER_UI = STATIC / "vendor" / "swagger-ui" / "swagger-ui-bundle.js"
# Every Content-Security-Policy violation the page causes, kept where the test can read it.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""
TIMEOUT_MS = 20_000
QUESTION = "How do apps turn a phone video into a depth video that doesn't flicker?"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _missing(message: str) -> None:
    if _in_ci():
        pytest.fail(message + " (CI=true: run scripts/install-browser.sh first)")
    pytest.skip(message)


# --------------------------------------------------------------------------- the app


def _serves_page(app: Any) -> bool:
    from fastapi.testclient import TestClient

    try:
        # The app answers loopback Host headers only, hence the base URL.
        client = TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)
        page = client.get("/")
        script = client.get("/static/app.js")
    except Exception:
        return False
    return page.status_code == 200 and PAGE_MARKER in page.text and script.status_code == 200


def _with_page(inner: Any) -> Any:
    """`inner` with the page at / and its files at /static; everything else goes to `inner`."""
    from fastapi import FastAPI
    from fastapi.responses import FileResponse
    from fastapi.staticfiles import StaticFiles

    outer = FastAPI(lifespan=lambda _app: inner.router.lifespan_context(inner))

    @outer.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    outer.mount("/static", StaticFiles(directory=STATIC), name="static")
    outer.mount("/", inner)
    return outer


def _app(catalog_path: Path) -> Any:
    from scholarflow.server.app import create_app
    from scholarflow.server.limits import ServerLimits

    # The first free question embeds the catalog, which can pass the default 30 s budget on
    # a busy machine; the budget has its own tests (test_server_limits.py).
    limits = ServerLimits(request_timeout=600.0)
    app = create_app(catalog_path=catalog_path, token="", limits=limits)
    return app if _serves_page(app) else _with_page(app)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    app = _app(tmp_path_factory.mktemp("web") / "catalog.db")
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="auto")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="web-page-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the test server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} not found: the web page tests need Debian's chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


def _open(browser: Any, base_url: str, width: int = 1280, height: int = 900) -> Any:
    context = browser.new_context(
        viewport={"width": width, "height": height}, base_url=base_url, accept_downloads=True
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A failed request (the 400 of a bad prompt) is logged by the browser; that is expected.
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text
            else None
        ),
    )
    page.response = page.goto("/")  # type: ignore[attr-defined]
    page.js_errors = errors  # type: ignore[attr-defined]
    return page


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    opened = _open(browser, base_url)
    yield opened
    opened.context.close()


def _submit(page: Any, text: str) -> None:
    page.fill("#prompt", text)
    page.click("#submit")
    _wait_done(page)


def _wait_done(page: Any) -> None:
    """Waits for the request to finish, whatever the outcome: an answer, a notice or an error."""
    page.wait_for_function(
        "() => !document.body.classList.contains('is-busy')"
        " && (!document.getElementById('answer').hidden"
        " || !document.getElementById('error').hidden)"
    )


def _seed_text(seeds: dict[str, Path], number: str = "000") -> str:
    return seeds[number].read_text(encoding="utf-8")


def _contract(text: str) -> dict[str, Any]:
    import scholarflow
    from scholarflow.render.json_format import answer_to_dict

    return answer_to_dict(scholarflow.answer_prompt(text))


# --------------------------------------------------------------------------- tests


def test_seed_prompt_renders_the_three_parts_graph_references_and_warnings(
    page: Any, seeds: dict[str, Path]
) -> None:
    text = _seed_text(seeds)
    expected = _contract(text)
    _submit(page, text)

    assert page.is_hidden("#error"), page.text_content("#error")
    for part in ("#task-md", "#workflow-md", "#references-md"):
        assert page.text_content(part).strip(), f"{part} is empty"
    assert "SV4D 2.0" in page.text_content("#task-md")
    assert page.locator("#workflow-md pre code").count() >= 1  # the ```text diagram

    graph = page.locator("#graph svg")
    assert graph.get_attribute("role") == "img"
    assert "SV4D 2.0" in graph.get_attribute("aria-label")
    nodes = graph.locator("[data-kind]")
    assert nodes.count() == len(expected["workflow"]["nodes"])
    kinds = set(nodes.evaluate_all("els => els.map(e => e.dataset.kind)"))
    assert kinds <= {"input", "model", "operation", "output"}
    assert nodes.evaluate_all("els => els.every(e => e.querySelector('title'))")
    model = graph.locator("[data-kind=model]", has_text="SV4D 2.0")
    assert model.count() == 1
    assert "[1]" in model.text_content()
    assert graph.locator(".edge").count() == len(expected["workflow"]["edges"])
    optional = sum(1 for n in expected["workflow"]["nodes"] if n["optional"])
    assert graph.locator(".node.optional").count() == optional

    links = page.locator("#references a")
    hrefs = links.evaluate_all("els => els.map(e => e.href)")
    assert "https://arxiv.org/pdf/2503.16396" in hrefs
    wanted = [link for ref in expected["references"] for link in ref["links"]]
    assert hrefs == wanted
    assert links.evaluate_all(
        "els => els.every(e => e.target === '_blank' && e.rel.includes('noopener'))"
    )

    codes = page.locator("#warnings .warning-code").all_text_contents()
    assert codes == [w["code"] for w in expected["warnings"]]
    if expected["warnings"]:
        assert page.is_visible("#warnings")
        assert page.get_attribute("#warnings", "role") == "alert"

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-page.png"), full_page=True)
    assert not page.js_errors


def test_exports_copy_markdown_and_download_json_and_workflow(
    page: Any, seeds: dict[str, Path]
) -> None:
    text = _seed_text(seeds)
    expected = _contract(text)
    _submit(page, text)

    page.click("#copy-md")
    page.wait_for_function("() => /copied/i.test(document.getElementById('status').textContent)")
    assert page.evaluate("navigator.clipboard.readText()") == expected["markdown"]

    with page.expect_download() as info:
        page.click("#download-json")
    assert info.value.suggested_filename.endswith(".json")
    assert json.loads(Path(info.value.path()).read_text(encoding="utf-8")) == expected

    with page.expect_download() as info:
        page.click("#download-workflow")
    document = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    labels = {n.get("title", n.get("label")) for n in document["nodes"]}
    assert "SV4D 2.0" in labels
    assert not page.js_errors


def test_a_bad_prompt_shows_the_error_and_the_page_keeps_working(
    page: Any, seeds: dict[str, Path]
) -> None:
    good = _seed_text(seeds)
    bad = re.sub(r"### Recommended AI Models:.*?(?=### Related Papers:)", "", good, flags=re.S)
    _submit(page, bad)
    assert page.is_visible("#error")
    assert "recommended" in page.text_content("#error-text").lower()
    assert page.is_hidden("#answer")
    assert page.is_enabled("#submit")

    _submit(page, good)
    assert page.is_hidden("#error")
    assert page.is_visible("#answer")
    assert page.locator("#graph [data-kind=model]", has_text="SV4D 2.0").count() == 1


def test_untrusted_text_is_shown_as_text(page: Any, seeds: dict[str, Path]) -> None:
    evil = (
        '\nModel: Evil <img src=x onerror="window.__xss=1"> paper\n'
        "Paper: https://arxiv.org/pdf/2401.00001\n"
        "Summary: A method that renders <script>window.__xss=2</script> video from multi-view "
        "footage with consistent lighting.\n"
    )
    text = _seed_text(seeds).replace("\n\nAnswer:", evil + "\nAnswer:")
    _submit(page, text)
    assert page.is_visible("#answer")
    assert page.locator("#answer img, #answer script").count() == 0
    assert page.evaluate("window.__xss") is None
    assert "<img src=x" in page.text_content("#answer")

    rendered = page.evaluate(
        """() => window.scholarflow.renderMarkdown([
            '# Title', '', 'A **bold** `code` <b>raw</b> https://example.org/a_b).',
            '', '- one', '- two', '', '1. first', '2. second', '', '> quoted',
            '', '```text', 'a <b> c', '```', '[x](javascript:alert(1))'].join('\\n'))"""
    )
    assert "<strong>bold</strong>" in rendered
    assert "<code>code</code>" in rendered
    assert "&lt;b&gt;raw&lt;/b&gt;" in rendered
    assert (
        '<a href="https://example.org/a_b" target="_blank" rel="noopener noreferrer">' in rendered
    )
    assert "<ul><li>one</li><li>two</li></ul>" in rendered
    assert "<ol><li>first</li><li>second</li></ol>" in rendered
    assert "<blockquote><p>quoted</p></blockquote>" in rendered
    assert '<code class="language-text">a &lt;b&gt; c</code>' in rendered
    assert 'href="javascript' not in rendered


def test_keyboard_only(page: Any) -> None:
    for _ in range(5):
        if page.evaluate("document.activeElement.id") == "prompt":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "prompt"
    page.keyboard.type(QUESTION)
    page.keyboard.press("Control+Enter")
    _wait_done(page)
    assert page.is_hidden("#error"), page.text_content("#error")
    assert page.is_visible("#parts")
    assert page.locator("#graph [data-kind=model]").count() >= 1

    order = []
    for _ in range(4):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id"))
    assert order == ["submit", "copy-md", "download-json", "download-workflow"]
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename.endswith(".json")

    # A question the catalog cannot serve is a notice, not an error.
    page.focus("#prompt")
    page.keyboard.press("Control+a")
    page.keyboard.type("a recipe for sourdough bread")
    page.keyboard.press("Control+Enter")
    _wait_done(page)
    assert page.is_hidden("#error"), page.text_content("#error")
    assert page.is_visible("#notice")
    assert page.is_hidden("#parts")
    assert not page.js_errors


def test_narrow_screen_has_no_horizontal_page_scroll(
    browser: Any, base_url: str, seeds: dict[str, Path]
) -> None:
    page = _open(browser, base_url, width=375, height=812)
    try:
        _submit(page, _seed_text(seeds))
        assert page.is_visible("#answer")
        sizes = page.evaluate(
            """() => ({
                page: document.documentElement.scrollWidth, inner: window.innerWidth,
                graph: document.getElementById('graph').scrollWidth,
                graphBox: document.getElementById('graph').clientWidth})"""
        )
        assert sizes["page"] <= sizes["inner"], sizes
        assert sizes["graph"] > sizes["graphBox"], "the graph should scroll inside its box"
        assert page.get_attribute("#fit-graph", "aria-pressed") == "false"
        page.click("#fit-graph")  # the whole graph, shrunk to the box
        assert page.get_attribute("#fit-graph", "aria-pressed") == "true"
        assert page.evaluate(
            "(g => g.scrollWidth <= g.clientWidth)(document.getElementById('graph'))"
        )
        page.click("#fit-graph")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "web-page-375.png"), full_page=True)
    finally:
        page.context.close()


def test_the_page_works_under_its_content_security_policy(
    page: Any, seeds: dict[str, Path]
) -> None:
    headers = page.response.headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    _submit(page, _seed_text(seeds))
    assert page.is_visible("#answer")
    assert page.locator("#graph svg [data-kind=model]").count() >= 1
    page.click("#fit-graph")  # sets the graph's size from script: allowed, not inline style
    with page.expect_download():
        page.click("#download-json")
    assert page.evaluate("window.__cspViolations") == []
    assert not page.js_errors


def test_docs_render_offline_from_this_server(browser: Any, base_url: str) -> None:
    if not SWAGGER_UI.exists():
        _missing(f"{SWAGGER_UI} not found: run scripts/fetch-swagger-ui.sh (make setup)")
    context = browser.new_context(base_url=base_url)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    requested: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto("/docs")
        page.wait_for_selector(".swagger-ui .opblock")
        paths = page.locator(".opblock-summary-path").all_text_contents()
        assert {"/api/answer", "/api/ask", "/health", "/v1/chat/completions"} <= set(paths)
        # Try one call from the page: it goes to this server, under the same policy.
        health = page.locator(
            ".opblock", has=page.locator(".opblock-summary-path", has_text="/health")
        )
        health.locator(".opblock-summary").click()
        health.locator("button.try-out__btn").click()
        health.locator("button.execute").click()
        status = health.locator(".live-responses-table tr.response .response-col_status")
        status.wait_for()
        assert status.text_content().strip() == "200"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "docs-page.png"), full_page=False)
        origin = base_url.rstrip("/")
        outside = [
            url for url in requested if not (url.startswith(origin) or url.startswith("data:"))
        ]
        assert outside == [], outside
        assert page.evaluate("window.__cspViolations") == []
        assert errors == []
    finally:
        context.close()
