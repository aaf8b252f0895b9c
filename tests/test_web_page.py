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


# Sizes of what the graph draws, read from the browser: each text's rendered font size (its
# CSS size times the SVG's scale on screen), each node box against the text inside it.
GRAPH_GEOMETRY = """() => {
  const svg = document.querySelector('#graph svg');
  const fonts = Array.from(svg.querySelectorAll('text')).map(
    (t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);
  const nodes = Array.from(svg.querySelectorAll('.node')).map((g) => {
    const box = g.querySelector('rect.box').getBoundingClientRect();
    const texts = Array.from(g.querySelectorAll('text')).map((t) => t.getBoundingClientRect());
    const top = Math.min(...texts.map((r) => r.top));
    const bottom = Math.max(...texts.map((r) => r.bottom));
    return {id: g.dataset.id, x: box.left, y: box.top, w: box.width, h: box.height,
            text: bottom - top};
  });
  const edges = Array.from(svg.querySelectorAll('.edge')).map(
    (e) => [e.dataset.source, e.dataset.target]);
  const view = document.getElementById('graph');
  return {fonts, nodes, edges, direction: svg.dataset.direction, layout: svg.dataset.layout,
          natural: Number(svg.dataset.naturalWidth), room: view.clientWidth,
          height: view.getBoundingClientRect().height};
}"""
DAGRE = STATIC / "vendor" / "dagre" / "dagre.min.js"


def _no_overlap(nodes: list[dict[str, Any]]) -> bool:
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            apart = (
                a["x"] + a["w"] <= b["x"] + 0.5
                or b["x"] + b["w"] <= a["x"] + 0.5
                or a["y"] + a["h"] <= b["y"] + 0.5
                or b["y"] + b["h"] <= a["y"] + 0.5
            )
            if not apart:
                return False
    return True


def test_graph_text_is_readable_at_1280_for_every_seed(page: Any, seeds: dict[str, Path]) -> None:
    for number in sorted(seeds):
        _submit(page, _seed_text(seeds, number))
        assert page.is_hidden("#error"), page.text_content("#error")
        geometry = page.evaluate(GRAPH_GEOMETRY)
        assert geometry["layout"] == ("dagre" if DAGRE.exists() else "columns")
        assert min(geometry["fonts"]) >= 12, (number, min(geometry["fonts"]))
        assert _no_overlap(geometry["nodes"]), number
        for node in geometry["nodes"]:
            assert node["h"] <= node["text"] + 24, (number, node)
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#part-workflow").screenshot(path=str(ARTIFACTS / "graph-1280.png"))
    assert not page.js_errors


def test_narrow_screen_lays_the_graph_out_top_to_bottom(
    browser: Any, base_url: str, seeds: dict[str, Path]
) -> None:
    page = _open(browser, base_url, width=375, height=812)
    try:
        _submit(page, _seed_text(seeds))
        assert page.is_visible("#answer")
        sizes = page.evaluate(
            "() => ({page: document.documentElement.scrollWidth, inner: window.innerWidth})"
        )
        assert sizes["page"] <= sizes["inner"], sizes
        geometry = page.evaluate(GRAPH_GEOMETRY)
        assert geometry["direction"] == "TB"
        assert geometry["natural"] <= geometry["room"], "the whole graph fits its box"
        assert min(geometry["fonts"]) >= 12
        nodes = {n["id"]: n for n in geometry["nodes"]}
        for source, target in geometry["edges"]:  # every step below the one feeding it
            assert nodes[target]["y"] >= nodes[source]["y"] + nodes[source]["h"], (source, target)
        for node in geometry["nodes"]:  # no box taller than its text needs
            assert node["h"] <= node["text"] + 24, node
        lowest = max(n["y"] + n["h"] for n in geometry["nodes"])
        top = page.evaluate("document.getElementById('graph').getBoundingClientRect().top")
        assert geometry["height"] <= lowest - top + 40, "no empty band under the graph"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "web-page-375.png"), full_page=True)
        page.locator("#part-workflow").screenshot(path=str(ARTIFACTS / "graph-375.png"))
        page.locator(".answer-head").screenshot(path=str(ARTIFACTS / "toolbar-375.png"))
        # Steps side by side (two inputs, a branch) narrow their boxes to fit the phone.
        for number in sorted(seeds):
            _submit(page, _seed_text(seeds, number))
            geometry = page.evaluate(GRAPH_GEOMETRY)
            assert geometry["direction"] == "TB", number
            assert geometry["natural"] <= geometry["room"], (number, geometry["natural"])
            assert min(geometry["fonts"]) >= 12, number
            assert _no_overlap(geometry["nodes"]), number
        page.locator("#part-workflow").screenshot(path=str(ARTIFACTS / "graph-375-branches.png"))
        assert not page.js_errors
    finally:
        page.context.close()


def test_a_narrower_window_lays_the_graph_out_again(page: Any, seeds: dict[str, Path]) -> None:
    _submit(page, _seed_text(seeds, "004"))
    assert page.get_attribute("#graph svg", "data-direction") == "LR"
    page.set_viewport_size({"width": 375, "height": 812})
    page.wait_for_function("() => document.querySelector('#graph svg').dataset.direction === 'TB'")
    geometry = page.evaluate(GRAPH_GEOMETRY)
    assert geometry["natural"] <= geometry["room"]
    assert not page.js_errors


def test_pan_and_zoom_with_the_keyboard_and_buttons(page: Any, seeds: dict[str, Path]) -> None:
    _submit(page, _seed_text(seeds))

    def box() -> list[float]:
        return [float(v) for v in page.get_attribute("#graph svg", "viewBox").split()]

    assert page.text_content("#zoom-level").strip() == "100 %"
    page.focus("#graph")
    page.keyboard.press("+")
    assert page.text_content("#zoom-level").strip() == "125 %"
    zoomed = box()
    assert zoomed[2] < page.evaluate("document.getElementById('graph').clientWidth")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    moved = box()
    assert moved[0] > zoomed[0] or moved[1] > zoomed[1], (zoomed, moved)
    page.keyboard.press("0")
    assert page.text_content("#zoom-level").strip() == "100 %"
    page.click("#zoom-out")
    assert page.text_content("#zoom-level").strip() == "80 %"
    page.click("#zoom-in")
    assert page.text_content("#zoom-level").strip() == "100 %"
    # Dragging pans a zoomed graph (up and left: the view moves down and right).
    page.focus("#graph")
    page.keyboard.press("+")
    page.keyboard.press("+")
    before = box()
    graph = page.locator("#graph").bounding_box()
    x, y = graph["x"] + graph["width"] / 2, graph["y"] + graph["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 120, y - 120, steps=6)
    page.mouse.up()
    after = box()
    assert after[0] > before[0] or after[1] > before[1], (before, after)
    assert not page.js_errors


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
    # The vendored layout library runs under the policy (served from this server).
    assert page.get_attribute("#graph svg", "data-layout") == (
        "dagre" if DAGRE.exists() else "columns"
    )
    page.click("#zoom-out")  # sets the graph's size from script: allowed, not inline style
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


# --------------------------------------------------------------------------- history


def _answer_text(page: Any) -> dict[str, str]:
    return {
        part: page.text_content(part).strip()
        for part in ("#question", "#task-md", "#workflow-md", "#references")
    }


def test_history_survives_a_reload_and_the_permalink_restores_the_answer(
    browser: Any, base_url: str, seeds: dict[str, Path]
) -> None:
    page = _open(browser, base_url)
    try:
        _submit(page, _seed_text(seeds))
        shown = _answer_text(page)
        url = page.url
        assert re.search(r"#a=[0-9a-f]{12}$", url), url
        assert page.get_attribute("#permalink", "href") == "#" + url.split("#", 1)[1]

        page.reload()
        page.wait_for_selector("#answer:not([hidden])")
        assert _answer_text(page) == shown, "the reload restores the same answer"
        assert page.locator("#history-list li").count() == 1
        assert shown["#question"][:60] in page.text_content("#history-list")

        # A second answer, then the first one again from the history list (a link).
        _submit(page, _seed_text(seeds, "004"))
        assert "DepthCrafter" in page.text_content("#task-md")
        assert page.locator("#history-list li").count() == 2
        first = page.locator("#history-list li").nth(1).locator("a")
        first.focus()
        page.keyboard.press("Enter")  # keyboard: the history is a list of links
        page.wait_for_function(
            "t => document.getElementById('task-md').textContent.trim() === t",
            arg=shown["#task-md"],
        )
        assert _answer_text(page) == shown
        assert page.url == url

        # The permalink in a new tab of the same browser, offline from the server's view.
        other = page.context.new_page()
        asked: list[str] = []
        other.on("request", lambda r: asked.append(r.url) if "/api/" in r.url else None)
        other.goto(url)
        other.wait_for_selector("#answer:not([hidden])")
        assert _answer_text(other) == shown
        assert asked == [], "a permalink is restored from the browser, not asked again"
        assert other.locator("#graph svg [data-kind=model]", has_text="SV4D 2.0").count() == 1

        # A link to an answer this browser does not hold says so.
        other.goto(base_url + "/#a=0123456789ab")
        other.wait_for_selector("#error:not([hidden])")
        assert "not in this browser's history" in other.text_content("#error-text")
        assert not page.js_errors
    finally:
        page.context.close()


def _fake_entries(count: int) -> str:
    entries = [
        {
            "id": f"{k:012x}",
            "saved": "2026-01-01T00:00:00Z",
            "input": f"old question {k}",
            "kind": "question",
            "answer": {"served": False, "message": "nothing", "question": f"old question {k}"},
        }
        for k in range(count)
    ]
    return json.dumps(entries)


def test_history_keeps_the_newest_50_answers(browser: Any, base_url: str, seeds: Any) -> None:
    page = _open(browser, base_url)
    try:
        page.evaluate("v => localStorage.setItem('scholarflow.history.v1', v)", _fake_entries(50))
        page.reload()
        assert page.locator("#history-list li").count() == 50
        _submit(page, _seed_text(seeds))
        stored = page.evaluate("JSON.parse(localStorage.getItem('scholarflow.history.v1'))")
        assert len(stored) == 50
        assert "SV4D 2.0" in json.dumps(stored[0]["answer"])
        assert stored[-1]["input"] == "old question 48"  # the oldest one made room
        page.click("#clear-history")
        assert page.locator("#history-list li").count() == 0
        assert page.evaluate("localStorage.getItem('scholarflow.history.v1')") is None
    finally:
        page.context.close()


def test_full_storage_drops_the_oldest_and_refused_storage_keeps_the_page_working(
    browser: Any, base_url: str, seeds: dict[str, Path]
) -> None:
    page = _open(browser, base_url)
    try:
        page.evaluate("v => localStorage.setItem('scholarflow.history.v1', v)", _fake_entries(5))
        # The browser's quota, simulated: the old answers and a new one do not fit together.
        page.context.add_init_script(
            """(() => {
              const set = Storage.prototype.setItem;
              Storage.prototype.setItem = function (key, value) {
                const text = String(value);
                if (text.includes('old question') && text.includes('SV4D')) {
                  throw new DOMException('full', 'QuotaExceededError');
                }
                return set.call(this, key, value);
              };
            })();"""
        )
        page.reload()
        _submit(page, _seed_text(seeds))
        stored = page.evaluate("JSON.parse(localStorage.getItem('scholarflow.history.v1'))")
        assert len(stored) == 1 and "SV4D 2.0" in json.dumps(stored[0])
        assert "full" in page.text_content("#history-note")
    finally:
        page.context.close()

    page = _open(browser, base_url)
    try:
        page.context.add_init_script(
            """Object.defineProperty(window, 'localStorage', {
                 get() { throw new DOMException('denied', 'SecurityError'); }});"""
        )
        page.reload()
        _submit(page, _seed_text(seeds))
        assert page.is_visible("#parts")
        assert page.locator("#history-list li").count() == 1
        assert "refuses to store" in page.text_content("#history-note")
        page.reload()  # nothing was kept: the permalink cannot be restored
        page.wait_for_selector("#error:not([hidden])")
        assert not page.js_errors
    finally:
        page.context.close()


# --------------------------------------------------------------------------- free questions


def test_a_free_question_shows_the_catalog_hits_and_why(page: Any) -> None:
    _submit(page, QUESTION)
    assert page.is_hidden("#error"), page.text_content("#error")
    assert page.is_visible("#part-hits")
    rows = page.locator("#hits-body tr")
    assert rows.count() >= 2
    used = page.locator("#hits-body tr.is-used")
    assert used.count() >= 1
    recommended = used.filter(has_text="recommended model")
    assert recommended.count() == 1
    why = recommended.locator("td").last.text_content()
    assert "best-ranked model" in why
    assert re.search(r"#\d+ by (words|meaning)", why), why
    # The reference number in the table is the answer's own.
    ref = re.search(r"\[(\d+)\]", recommended.text_content())
    assert ref and page.locator(f"#ref-{ref.group(1)}").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#part-hits").screenshot(path=str(ARTIFACTS / "hits-1280.png"))
    # A prompt brings its own sources: no catalog table.
    assert not page.js_errors


# --------------------------------------------------------------------------- streaming


def test_the_page_asks_for_the_streamed_answer(page: Any, seeds: dict[str, Path]) -> None:
    replies: list[tuple[str, str]] = []
    page.on(
        "response",
        lambda r: (
            replies.append((r.url, r.headers.get("content-type", ""))) if "/api/" in r.url else None
        ),
    )
    _submit(page, _seed_text(seeds))
    assert [u.rsplit("/", 2)[-2:] for u, _ in replies] == [["answer", "stream"]]
    assert replies[0][1].startswith("application/x-ndjson")
    expected = _contract(_seed_text(seeds))
    assert (
        page.text_content("#task-md")
        .strip()
        .startswith(expected["sections"]["task"].split("**")[0].strip())
    )
    assert page.is_hidden("#part-hits")


def _serve(app: Any) -> tuple[Any, threading.Thread, str]:
    import uvicorn

    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="auto")
    )
    thread = threading.Thread(target=server.run, name="web-page-server-2", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the test server did not start")
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"


def test_streamed_parts_are_shown_as_they_arrive(browser: Any, seeds: dict[str, Path]) -> None:
    """A server that has streamed the task part and holds the rest: the task is on the page
    while the answer is still on its way; the rest follows when the server sends it."""
    from fastapi import FastAPI
    from fastapi.responses import StreamingResponse

    text = _seed_text(seeds)
    expected = _contract(text)
    task_part, rest = expected["markdown"].split("### 2.", 1)
    release = threading.Event()
    app = FastAPI()

    @app.post("/api/answer/stream")
    def stream() -> StreamingResponse:
        def lines() -> Iterator[str]:
            yield json.dumps({"type": "text", "text": task_part}) + "\n"
            release.wait(30)
            yield json.dumps({"type": "text", "text": "### 2." + rest}) + "\n"
            yield json.dumps({"type": "answer", "answer": expected}) + "\n"

        return StreamingResponse(lines(), media_type="application/x-ndjson")

    server, thread, url = _serve(_with_page(app))
    page = _open(browser, url)
    try:
        page.fill("#prompt", text)
        page.click("#submit")
        page.wait_for_function("() => document.getElementById('task-md').textContent.trim()")
        assert page.evaluate("document.body.classList.contains('is-busy')")
        assert "SV4D 2.0" in page.text_content("#task-md")
        assert not page.text_content("#workflow-md").strip()  # not sent yet
        release.set()
        _wait_done(page)
        assert page.is_hidden("#error"), page.text_content("#error")
        assert page.text_content("#workflow-md").strip()
        assert page.locator("#graph svg [data-kind=model]", has_text="SV4D 2.0").count() == 1
        assert not page.js_errors
    finally:
        release.set()
        page.context.close()
        server.should_exit = True
        thread.join(timeout=10)


# --------------------------------------------------------------------------- token, ComfyUI


def test_a_server_with_a_token_gets_a_token_field(
    browser: Any, tmp_path: Path, seeds: dict[str, Path]
) -> None:
    from scholarflow.server.app import create_app
    from scholarflow.server.limits import ServerLimits

    app = create_app(
        catalog_path=tmp_path / "catalog.db",
        token="s3cret-token",
        limits=ServerLimits(request_timeout=600.0),
    )
    server, thread, url = _serve(app if _serves_page(app) else _with_page(app))
    page = _open(browser, url)
    try:
        page.wait_for_selector("#token-row:not([hidden])")
        assert page.get_attribute("#token", "type") == "password"
        _submit(page, _seed_text(seeds))
        assert page.is_visible("#error")
        assert "token" in page.text_content("#error-text").lower()
        assert page.evaluate("document.activeElement.id") == "token"
        page.keyboard.type("s3cret-token")
        _submit(page, _seed_text(seeds))
        assert page.is_hidden("#error"), page.text_content("#error")
        assert page.locator("#graph svg [data-kind=model]").count() >= 1
        # Kept for this tab (a reload), never in the history.
        page.reload()
        assert page.input_value("#token") == "s3cret-token"
        assert "s3cret" not in page.evaluate("localStorage.getItem('scholarflow.history.v1')")
    finally:
        page.context.close()
        server.should_exit = True
        thread.join(timeout=10)


def test_comfyui_button_downloads_the_servers_comfyui_file_and_hides_when_unsupported(
    browser: Any, base_url: str, seeds: dict[str, Path]
) -> None:
    text = _seed_text(seeds)
    page = _open(browser, base_url)
    try:
        _submit(page, text)
        assert page.is_visible("#download-comfyui")
        sent: list[Any] = []
        page.on(
            "request",
            lambda r: sent.append(r.post_data_json) if r.url.endswith("/api/answer") else None,
        )
        with page.expect_download() as info:
            page.click("#download-comfyui")
        assert sent == [{"prompt": text, "format": "comfyui"}]
        assert info.value.suggested_filename.endswith("-comfyui.json")
        workflow = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
        # ComfyUI's own file: what `answer --format comfyui` writes, not the answer JSON
        assert {"nodes", "links", "version", "extra"} <= set(workflow)
        assert any(node["type"] == "Note" for node in workflow["nodes"])
        assert not page.js_errors
    finally:
        page.context.close()

    # A server without the format (an older one answers 422): the button goes away.
    page = _open(browser, base_url)
    try:
        _submit(page, text)

        def refuse(route: Any) -> None:
            if route.request.post_data_json.get("format") != "comfyui":
                route.continue_()
                return
            route.fulfill(status=422, content_type="application/json", body='{"detail": "x"}')

        page.route("**/api/answer", refuse)
        page.click("#download-comfyui")
        page.wait_for_selector("#download-comfyui", state="hidden")
        assert "cannot export ComfyUI" in page.text_content("#status")
        _submit(page, text)
        assert page.is_hidden("#download-comfyui"), "stays hidden for this page"
    finally:
        page.context.close()
