"""The web page at /webhooks/web/ in a real browser: Debian's Chromium driven by Playwright,
against the real Rasa server (trained model, action server, knowledge base).

A missing browser fails these tests (apt-get install chromium; README, .ci/run), never skips
them. Every request that would leave 127.0.0.1 is aborted and recorded; a test that made one
fails. Screenshots for the README are saved under docs/screenshots/.
"""
from __future__ import annotations

import asyncio
import json
import re
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.async_api import Browser, Page, Route, async_playwright, expect

from scripts.model_store import PROJECT_ROOT
from scripts.services import Service

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"
ANSWER_TIMEOUT_MS = 30_000
LAWYERS_ZH = "全国律师人数这几年是怎么变化的"
LAWYERS_EN = "how has the number of lawyers changed over the years?"


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Chromium from Debian (Playwright cannot download its own here)."""
    assert Path(CHROMIUM).exists(), "install Chromium: apt-get install -y chromium"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM)
        yield browser
        await browser.close()


@pytest.fixture
def page_url(rasa_url: str) -> str:
    """The page, served by the real Rasa server."""
    return f"{rasa_url}/webhooks/web/"


@pytest.fixture
def outside_requests() -> Iterator[list[str]]:
    """Requests that tried to leave the machine (each aborted); must stay empty."""
    attempted: list[str] = []
    yield attempted
    assert attempted == [], f"requests left 127.0.0.1: {attempted}"


async def open_page(browser: Browser, url: str, outside: list[str], *, locale: str = "en-US",
                    width: int = 1024, height: int = 800) -> Page:
    """A fresh browser profile on the page, every non-loopback request aborted and recorded."""
    context = await browser.new_context(locale=locale, viewport={"width": width, "height": height})

    async def guard(route: Route) -> None:
        if urlparse(route.request.url).hostname != "127.0.0.1":
            outside.append(route.request.url)
            await route.abort()
        else:
            await route.continue_()

    await context.route("**/*", guard)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A refused request (the error tests' 502) is logged by Chromium as well; anything else is ours.
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource") else None)
    page.errors = errors  # checked by ask(): a script error or a CSP violation fails the test
    await page.goto(url)
    await expect(page.locator("html")).to_have_attribute("data-ready", "true")
    return page


async def ask(page: Page, question: str) -> None:
    """Type a question as a person does and wait until its answer (or an error) is shown."""
    before = await page.locator("#log .message.bot, #log .message.notice").count()
    box = page.locator("#question")
    await box.fill(question)
    await box.press("Enter")
    await expect(page.locator("#log .message.bot, #log .message.notice")).not_to_have_count(
        before, timeout=ANSWER_TIMEOUT_MS)
    await expect(page.locator("#typing")).to_be_hidden(timeout=ANSWER_TIMEOUT_MS)
    assert page.errors == []


# The lowest contrast ratio (WCAG 2 relative luminance) of any visible text on the page, each
# against the first opaque background behind it; SVG text by its fill.
LOWEST_CONTRAST = """() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = (el) => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor);
    if (c.length === 3 || c[3] > 0) return c.slice(0, 3); } return [255, 255, 255]; };
  let lowest = 21;
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length || el.closest(".visually-hidden,[hidden]")) continue;
    const style = getComputedStyle(el);
    const fg = lum(rgb(el instanceof SVGElement ? style.fill : style.color)), bg = lum(background(el));
    lowest = Math.min(lowest, (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05));
  }
  return lowest;
}"""


def bot_text(page: Page):
    """The locator of every bot message."""
    return page.locator("#log .message.bot")


async def test_english_question_button_click_and_desktop_layout(
    browser: Browser, page_url: str, outside_requests: list[str]
) -> None:
    """An English question is answered in English; a button of the answer, chosen with the
    keyboard alone, sends its choice and shows its title as the person's message."""
    page = await open_page(browser, page_url, outside_requests)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Public legal services assistant")
    await expect(page.get_by_label("Your question")).to_be_visible()
    await expect(page.get_by_role("log")).to_have_attribute("aria-live", "polite")
    await ask(page, "how do I apply for legal aid?")
    await expect(bot_text(page).last).to_contain_text("legal aid")
    await ask(page, "help")
    button = page.locator("#log .message.bot .buttons button").first
    title = await button.text_content()
    before = await bot_text(page).count()
    await button.focus()
    await page.keyboard.press("Enter")
    await expect(page.locator("#log .message.user").last).to_have_text(f"You: {title}")
    await expect(bot_text(page)).not_to_have_count(before, timeout=ANSWER_TIMEOUT_MS)
    assert await page.evaluate(LOWEST_CONTRAST) >= 4.5
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / "desktop.png"))


async def test_chinese_question_switches_the_page_to_chinese_and_draws_a_chart(
    browser: Browser, page_url: str, outside_requests: list[str]
) -> None:
    """An English browser asking in Chinese: the answer and then the page's own words turn
    Chinese; the series comes with an SVG chart (title, axes, labels with their qualifier,
    y-axis from zero, sources in the caption)."""
    page = await open_page(browser, page_url, outside_requests)
    await ask(page, LAWYERS_ZH)
    await expect(page.locator("#log")).to_contain_text("执业律师人数：超过54万名")
    await expect(page.get_by_role("heading", level=1)).to_have_text("公共法律服务助手")
    await expect(page.get_by_label("您的问题")).to_be_visible()
    await expect(page.get_by_role("button", name="删除我的对话")).to_be_visible()
    chart = page.locator("figure.chart")
    await expect(chart.get_by_role("img", name="执业律师人数")).to_be_visible()
    labels = await chart.locator("svg text.point-label").all_text_contents()
    assert labels == ["超过54万", "超过65.16万", "83万"]
    assert "0" in await chart.locator("svg text.tick").all_text_contents()
    await expect(chart.locator("figcaption")).to_contain_text("来源")
    await chart.evaluate("figure => figure.scrollIntoView({block: 'start'})")  # clear of the question box
    await chart.screenshot(path=str(SCREENSHOTS / "chart-zh.png"))


async def test_english_chart_at_375_px_without_horizontal_scrolling(
    browser: Browser, page_url: str, outside_requests: list[str]
) -> None:
    """On a 375 px wide phone the page, the answer and its chart fit the width."""
    page = await open_page(browser, page_url, outside_requests, width=375, height=812)
    await ask(page, LAWYERS_EN)
    chart = page.locator("figure.chart")
    await expect(chart.get_by_role("img", name="Practising lawyers")).to_be_visible()
    labels = await chart.locator("svg text.point-label").all_text_contents()
    assert labels[0] == "more than 540,000"
    assert await page.evaluate("document.scrollingElement.scrollWidth") <= 375
    assert await page.evaluate(LOWEST_CONTRAST) >= 4.5
    await chart.scroll_into_view_if_needed()
    await page.screenshot(path=str(SCREENSHOTS / "phone-375.png"))
    await chart.evaluate("figure => figure.scrollIntoView({block: 'start'})")  # clear of the question box
    await chart.screenshot(path=str(SCREENSHOTS / "chart-en.png"))


async def test_markup_typed_by_the_user_is_shown_as_text(
    browser: Browser, page_url: str, outside_requests: list[str], rasa_server: Service
) -> None:
    """Markup is shown as the characters typed and never runs; it is not in the server's log."""
    page = await open_page(browser, page_url, outside_requests)
    typed = '<img src=x onerror="window.injected=1"><b>bold-7f3a</b>'
    await ask(page, typed)
    await expect(page.locator("#log .message.user").last).to_have_text(f"You: {typed}")
    assert await page.locator("#log b, #log img").count() == 0
    assert await page.evaluate("window.injected === undefined")
    assert "bold-7f3a" not in rasa_server.log()


async def test_reload_keeps_the_conversation_and_a_follow_up_is_understood(
    browser: Browser, page_url: str, outside_requests: list[str]
) -> None:
    """The random id in localStorage survives a reload: the conversation is shown again and a
    short follow-up is read against the previous answer."""
    page = await open_page(browser, page_url, outside_requests)
    await ask(page, "how many lawyers are there in China?")
    visitor = await page.evaluate("localStorage.getItem('legal-assistant-visitor')")
    assert re.fullmatch(r"[0-9a-f]{32}", visitor)
    await page.reload()
    await expect(page.locator("html")).to_have_attribute("data-ready", "true")
    await expect(page.locator("#log .message.user").first).to_contain_text("how many lawyers")
    await expect(bot_text(page).first).to_contain_text("Practising lawyers")
    await ask(page, "and in 2022?")
    await expect(bot_text(page).last).to_contain_text("651,600")
    assert await page.evaluate("localStorage.getItem('legal-assistant-visitor')") == visitor


async def test_forget_me_erases_the_conversation_and_starts_afresh(
    browser: Browser, page_url: str, outside_requests: list[str], rasa_url: str
) -> None:
    """"Forget me" (confirmed) erases the conversation on the server and starts a new one."""
    page = await open_page(browser, page_url, outside_requests)
    await ask(page, "what is a duty lawyer?")
    visitor = await page.evaluate("localStorage.getItem('legal-assistant-visitor')")
    assert history(rasa_url, visitor)["messages"]
    page.once("dialog", lambda dialog: dialog.accept())
    await page.get_by_role("button", name="Forget me").click()
    await expect(page.locator("#log .message.notice")).to_have_text(
        "Your conversation was deleted. You can start a new one.")
    await expect(page.locator("#log .message.user")).to_have_count(0)
    assert history(rasa_url, visitor)["messages"] == []
    assert await page.evaluate("localStorage.getItem('legal-assistant-visitor')") != visitor
    await expect(page.locator("#privacy")).to_contain_text("30 days")


async def test_a_server_error_or_an_empty_reply_is_said_in_the_users_language(
    browser: Browser, page_url: str, outside_requests: list[str]
) -> None:
    """A 5xx or an empty reply is never silence: an error with 12348, in the question's language.
    (A Chinese browser gets the page in Chinese before anything is asked.)"""
    page = await open_page(browser, page_url, outside_requests, locale="zh-CN")
    await expect(page.get_by_role("heading", level=1)).to_have_text("公共法律服务助手")
    await expect(page.locator("#privacy")).to_contain_text("30天")
    await page.route("**/webhooks/web/message", lambda route: route.fulfill(status=502, body="Bad Gateway"))
    await ask(page, "法律援助怎么申请")
    await expect(page.locator("#log .message.notice.error").last).to_contain_text("12348公共法律服务热线")
    await page.unroute("**/webhooks/web/message")
    await page.route("**/webhooks/web/message", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps({"language": "en", "messages": []})))
    await ask(page, "how do I apply for legal aid?")
    await expect(page.locator("#log .message.notice.error").last).to_contain_text(
        "did not answer. Please try again in a moment. For help now, call the 12348")


async def test_no_answer_within_the_time_limit_is_said(
    browser: Browser, page_url: str, outside_requests: list[str]
) -> None:
    """A server that never answers: after the page's 30 s limit (the page's clock is moved on,
    not waited for) the person is told, with 12348, and the typing indicator goes away."""
    page = await open_page(browser, page_url, outside_requests)
    await page.clock.install()
    held: list[Route] = []
    await page.route("**/webhooks/web/message", lambda route: held.append(route))
    await page.locator("#question").fill("how do I apply for legal aid?")
    await page.locator("#question").press("Enter")
    await expect(page.locator("#typing")).to_be_visible()
    for _ in range(100):  # the request reaches the route handler asynchronously
        if held:
            break
        await asyncio.sleep(0.05)
    assert len(held) == 1
    await page.clock.fast_forward(31_000)
    await expect(page.locator("#log .message.notice.error")).to_contain_text(
        "took too long to answer. Please try again. For help now, call the 12348")
    await expect(page.locator("#typing")).to_be_hidden()
    await held[0].abort()


def post(url: str, body: dict) -> tuple[int, dict, dict]:
    """POST JSON; return the status, the JSON reply and the headers, errors included."""
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read()), dict(error.headers)


def history(rasa_url: str, visitor: str) -> dict:
    """The conversation the server keeps for a visitor id."""
    return post(f"{rasa_url}/webhooks/web/history", {"visitor": visitor})[1]


def test_size_and_rate_limits_give_clear_answers_and_headers_are_strict(rasa_url: str) -> None:
    """A message over 2,000 characters gets 413, the 21st message in a minute 429 with
    Retry-After, a malformed visitor id 400; the page is sent with a CSP without inline script."""
    url = f"{rasa_url}/webhooks/web/message"
    visitor = "a" * 32
    assert post(url, {"visitor": visitor, "message": "x" * 2001})[:2] == (413, {"error": "too_long", "limit": 2000})
    assert post(url, {"visitor": "../etc", "message": "hi"})[0] == 400
    statuses = [post(url, {"visitor": visitor, "message": "hi"})[0] for _ in range(21)]
    assert statuses[:20] == [200] * 20
    status, reply, headers = post(url, {"visitor": visitor, "message": "hi"})
    assert status == 429 and reply["error"] == "rate_limited" and int(headers["Retry-After"]) > 0
    with urllib.request.urlopen(f"{rasa_url}/webhooks/web/", timeout=30) as response:
        policy = response.headers["Content-Security-Policy"]
        page = response.read().decode()
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in page and "style=" not in page
