"""The service worker on a host site of its own (tests/e2e/pages/sw-site/, registered with
`sw.js?keep=3`): media plays through it with Range requests, a `no-store` page is never kept,
a POST form reaches the server, the copies stay within their bound (the oldest go first),
and an update removes the caches of an older version."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, Response, expect

from .conftest import watch

SITE = "/tests/e2e/pages/sw-site/"
PAGES_CACHE = "socratiq-pages-v2"
KEPT = f"""async () => {{
    const cache = await caches.open({PAGES_CACHE!r});
    return (await cache.keys()).map((request) => new URL(request.url).pathname.split('/').pop());
}}"""


def kept(page: Page) -> list[str]:
    names: list[str] = page.evaluate(KEPT)
    return names


def test_media_no_store_forms_and_the_bound_under_the_service_worker(
    browser: Browser, origin: str
) -> None:
    context = browser.new_context()
    log = watch(context, origin)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # caches an older version left behind, on this origin
    page.goto(origin + "/tests/e2e/pages/no-quiz.html")
    page.evaluate(
        """async () => {
        await (await caches.open('socratiq-pages-v1')).put('/old', new Response('old'));
        await (await caches.open('socratiq-bundle-0000')).put('/old', new Response('old'));
    }"""
    )
    page.goto(origin + SITE + "index.html")
    page.evaluate("() => navigator.serviceWorker.ready")
    page.reload()
    assert page.evaluate("() => navigator.serviceWorker.controller !== null")
    names = page.evaluate("() => caches.keys()")
    assert PAGES_CACHE in names and "socratiq-pages-v1" not in names
    assert not [name for name in names if name == "socratiq-bundle-0000"]
    assert kept(page) == ["index.html"]

    # media: the browser asks for ranges; they pass the service worker untouched
    media: list[Response] = []
    page.on("response", lambda r: media.append(r) if r.url.endswith("tone.wav") else None)
    page.goto(origin + SITE + "media.html")
    page.wait_for_function("() => document.querySelector('video').readyState >= 1", timeout=20_000)
    video = page.evaluate(
        "() => { const v = document.querySelector('video');"
        " return {error: v.error && v.error.code, duration: v.duration}; }"
    )
    assert video["error"] is None and abs(video["duration"] - 1.0) < 0.05
    assert any(r.status == 206 for r in media), [r.status for r in media]
    assert all(not r.from_service_worker for r in media)
    assert kept(page) == ["index.html", "media.html"]

    # a no-store page is served but never kept
    response = page.goto(origin + SITE + "private.html")
    assert response is not None and response.status == 200
    assert response.headers["cache-control"] == "no-store"
    expect(page.locator("h1")).to_have_text("Private")
    assert kept(page) == ["index.html", "media.html"]

    # a POST form goes to the server as it is (a static server refuses it: 501)
    page.goto(origin + SITE + "form.html")
    assert kept(page) == ["index.html", "media.html", "form.html"]
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Send").click()
    assert posted.value.status == 501
    assert posted.value.request.post_data == "word=hello"
    assert not posted.value.from_service_worker

    # the bound: a fourth copy (a JSON file a script fetches) evicts the oldest
    page.goto(origin + SITE + "form.html")
    assert page.evaluate(f"() => fetch({SITE + 'data.json'!r}).then(r => r.json())") == {
        "kept": "the newest"
    }
    page.wait_for_function(
        f"async () => ({KEPT})().then(names => names.length === 3 && names[2] === 'data.json')"
    )
    assert kept(page) == ["media.html", "form.html", "data.json"]

    # offline: what is kept shows, what was evicted or never kept does not
    context.set_offline(True)
    page.goto(origin + SITE + "form.html")
    expect(page.locator("h1")).to_have_text("Form")
    for gone in ("index.html", "private.html"):
        try:
            page.goto(origin + SITE + gone)
        except Exception as error:  # the browser's own network error page
            assert "ERR_" in str(error)
        else:
            raise AssertionError(f"{gone} was served offline")
    context.close()
    assert errors == []
    assert log.foreign() == []
