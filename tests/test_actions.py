"""The example actions in ``actions/``: static checks, happy paths, every cancel and error path.

Run headless with scripted answers (``asyncio.run(owa.run(...))``); the weather action is
tested offline with respx, using payloads shaped like OpenWeatherMap's documented answers.
"""

from __future__ import annotations

import ast
import asyncio
import json
import logging
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

import owa_kit as owa

ACTIONS = Path(__file__).resolve().parent.parent / "actions"
NAMES = ["enhance_message", "visualize_data", "weather", "analyze_text", "progress_demo",
         "debug_errors", "summarize"]
TIMEOUT = {"error": "Event call timed out. The browser tab may be inactive or closed."}
DISCONNECT = {"error": "Client session disconnected."}


def run(name: str, message: Any, **kw: Any) -> owa.Run:
    return asyncio.run(owa.run(owa.load(str(ACTIONS / f"{name}.py")), message, **kw))


def statuses(r: owa.Run) -> list[tuple[str, bool]]:
    return [(s["description"], s["done"]) for s in r.message.status_history]


def toasts(r: owa.Run) -> list[tuple[str, str]]:
    return [(n["type"], n["content"]) for n in r.notifications]


def select_values(call: owa.Call) -> list[str]:
    return [o["value"] for o in call.data["options"]]


def assert_unchanged(r: owa.Run, text: str) -> None:
    assert r.result is None
    assert r.message.text == text
    assert r.message.original_content is None


# --- every file ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_check_finds_no_errors_or_warnings(name: str) -> None:
    findings = owa.check(str(ACTIONS / f"{name}.py"))
    assert [str(f) for f in findings if f.severity != "info"] == []


@pytest.mark.parametrize("name", NAMES)
def test_file_shape(name: str) -> None:
    """Independent of the kit: frontmatter on line 1, valves with defaults and descriptions."""
    source = (ACTIONS / f"{name}.py").read_text(encoding="utf-8")
    lines = source.splitlines()
    assert lines[0] == '"""'
    front = dict(re.match(r"^([a-z_]+):\s*(.*)$", line).groups()  # type: ignore[union-attr]
                 for line in lines[1: lines.index('"""', 1)])
    assert front["author"] == "owa-kit"
    assert front["required_open_webui_version"] == "0.12.4"
    assert {"title", "version", "description"} <= set(front)
    assert len(lines) <= 200 and max(map(len, lines)) <= 100
    nodes = list(ast.walk(ast.parse(source)))
    imports = {n.split(".")[0] for node in nodes if isinstance(node, ast.Import | ast.ImportFrom)
               for n in ([a.name for a in node.names] if isinstance(node, ast.Import)
                         else [node.module or ""])}
    stdlib = {"asyncio", "re", "math", "html", "logging", "collections", "typing"}
    assert imports <= stdlib | {"pydantic", "httpx", "fastapi", "open_webui"}
    calls = {ast.unparse(node.func) for node in nodes if isinstance(node, ast.Call)}
    assert not calls & {"print", "time.sleep", "requests.get", "requests.post"}
    assert 'body["content"]' not in source
    action = owa.load(str(ACTIONS / f"{name}.py"))
    fields = action.Valves.model_fields
    assert fields["priority"].default == 0
    for field_name, info in fields.items():
        assert not info.is_required(), field_name
        assert info.description, field_name
    # a fresh instance: the shared one keeps the valves of the last run (as Open WebUI's does)
    assert action.module.Action().valves == action.Valves()


# --- enhance_message -------------------------------------------------------------------------

ENHANCE = ("Hi! i'm glad you asked. You can't skip the setup, and you'll need to utilize the "
           "config file in order to demonstrate that the numerous options work, which is "
           "sufficient for most individuals.\n\n```python\nprint(\"don't change me!\")\n```\n"
           "The config file lives in your home folder.")
CODE = "\n\n```python\nprint(\"don't change me!\")\n```\n"
ENHANCED = [("Enhancing message ({})...", False), ("Message enhanced ({}); the original is kept",
                                                  True)]


def test_enhance_formal() -> None:
    r = run("enhance_message", ENHANCE, answers=["formal"])
    assert r.message.text == (
        "Hi. I am glad you asked. You cannot skip the setup, and you will need to utilize the "
        "config file in order to demonstrate that the numerous options work, which is "
        "sufficient for most individuals." + CODE + "The config file lives in your home folder.")
    assert r.message.original_content == ENHANCE
    assert r.saved is not None and r.saved.original_content == ENHANCE
    assert r.calls.types == ["input"]
    data = r.calls[0].data
    assert data["type"] == "select" and data["value"] == "formal"
    assert data["options"] == [{"label": "Formal tone", "value": "formal"},
                               {"label": "Simplify language", "value": "simple"},
                               {"label": "Add examples", "value": "examples"}]
    assert statuses(r) == [(d.format("formal tone"), done) for d, done in ENHANCED]
    assert toasts(r) == [("success", ("Message enhanced. The previous text is kept by Open "
                                     "WebUI as the message's original content."))]
    assert r.codes == []


def test_enhance_formal_is_the_default_choice() -> None:
    r = run("enhance_message", "we're done, don't worry!", answers=[True])
    assert r.calls.last.answer == "formal"
    assert r.message.text == "We are done, do not worry."
    assert r.codes == []


def test_enhance_leaves_code_alone() -> None:
    r = run("enhance_message", "use `for i in x` and don't worry! it's fine", answers=["formal"])
    assert r.message.text == "Use `for i in x` and do not worry. It is fine"


def test_enhance_simple() -> None:
    r = run("enhance_message", ENHANCE, answers=["simple"],
            valves={"max_sentence_words": 12})
    assert r.message.text == (
        "Hi! i'm glad you asked. You can't skip the setup. You'll need to use the config file "
        "to show that the many options work. This is enough for most people."
        + CODE + "The config file lives in your home folder.")
    assert statuses(r) == [(d.format("simplified language"), done) for d, done in ENHANCED]
    assert r.codes == []


def test_enhance_examples_is_idempotent() -> None:
    r = run("enhance_message", ENHANCE, answers=["examples"], valves={"examples_count": 2})
    section = ("\n\n---\n**Examples** (key terms, as this reply uses them)\n"
               "- *config*: \u201cYou can't skip the setup, and you'll need to utilize the config "
               "file in order to demonstrate that the numerous options work, which is "
               "sufficient for most individuals.\u201d\n"
               "- *folder*: \u201cThe config file lives in your home folder.\u201d")
    assert r.message.text == ENHANCE + section
    again = run("enhance_message", r.message.text, answers=["examples"],
                valves={"examples_count": 2})
    assert again.result is None
    assert statuses(again)[-1] == ("No changes needed (examples added)", True)
    assert r.codes == again.codes == []


def test_enhance_nothing_to_change() -> None:
    r = run("enhance_message", "This is fine.", answers=["formal"])
    assert_unchanged(r, "This is fine.")
    assert statuses(r) == [("Enhancing message (formal tone)...", False),
                           ("No changes needed (formal tone)", True)]
    assert r.codes == []


@pytest.mark.parametrize(("answer", "status"), [
    (False, "Cancelled"),
    (owa.answers.cancel(), "Cancelled"),
    (owa.answers.timeout(), "Cancelled: " + TIMEOUT["error"]),
    (owa.answers.disconnect(), "Cancelled: " + DISCONNECT["error"]),
])
def test_enhance_cancel(answer: Any, status: str) -> None:
    r = run("enhance_message", "i can't", answers=[answer])
    assert_unchanged(r, "i can't")
    assert statuses(r) == [(status, True)]
    assert r.notifications == [] and r.codes == []


def test_enhance_empty_message_asks_nothing() -> None:
    r = run("enhance_message", "   ")
    assert r.calls == [] and r.result is None
    assert toasts(r) == [("warning", "This message is empty: nothing to enhance.")]
    assert statuses(r) == [("Nothing to enhance", True)]


# --- visualize_data --------------------------------------------------------------------------

TABLE = ("Here are the results:\n\n| Fruit | Count |\n|---|---:|\n| Apples | 12 |\n"
         "| <b>Pears</b> & co | 7 |\n| Plums | 3.5 |\n")


def test_visualize_table_as_pie() -> None:
    r = run("visualize_data", TABLE, answers=["pie"])
    assert r.message.text == TABLE  # the chart is an embed; the reply is unchanged
    assert r.calls.types == ["input"]
    assert r.calls[0].data["message"] == "Found 3 data points. Which chart?"
    assert select_values(r.calls[0]) == ["bar", "line", "pie"]
    assert statuses(r) == [("Drawing a pie chart of 3 points...", False),
                           ("Pie chart of 3 points", True)]
    assert r.events.types == ["status", "status", "embeds"]
    [html] = r.message.embeds
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html
    assert "<title>Count by Fruit</title>" in html
    assert html.count("<path ") == 3
    assert "Apples: 12 (53.3%)" in html and "Plums: 3.5 (15.6%)" in html
    assert "&lt;b&gt;Pears&lt;/b&gt; &amp; co: 7 (31.1%)" in html and "<b>" not in html
    assert json.loads(r.http_body)["code"] == "ui_component"
    assert r.codes == []


def test_visualize_label_value_lines_as_bar_and_line() -> None:
    text = "Quarterly result:\n- **Q1**: 1,200 USD\n- Q2: 950\n- Q3: -300\n"
    bar = run("visualize_data", text, answers=["bar"])
    assert select_values(bar.calls[0]) == ["bar", "line"]  # no pie with a negative value
    [html] = bar.message.embeds
    assert html.count("<rect ") == 3 and ">1,200</text>" in html and ">-300</text>" in html
    line = run("visualize_data", text, answers=["line"])
    [html] = line.message.embeds
    assert html.count("<polyline ") == 1 and html.count("<circle ") == 3
    assert bar.codes == line.codes == []


def test_visualize_bare_numbers_default_bar() -> None:
    r = run("visualize_data", "Growth was 12 and 15.5, then 7.", answers=[True])
    assert r.calls.last.answer == "bar"
    [html] = r.message.embeds
    assert "Numbers in the message" in html
    assert re.findall(r">([^<]+)<title>", html) == ["#1", "#2", "#3"]


def test_visualize_max_points() -> None:
    text = " ".join(str(n) for n in range(1, 31))
    r = run("visualize_data", text, answers=["line"], valves={"max_points": 4})
    assert r.calls[0].data["message"] == "Found 30 data points; the first 4 are drawn. Which chart?"
    assert r.message.embeds[0].count("<circle ") == 4
    assert statuses(r)[-1] == ("Line chart of 4 points", True)


def test_visualize_no_data_warns_without_a_dialog() -> None:
    r = run("visualize_data", "No numbers here, only 1.")
    assert r.calls == []
    assert_unchanged(r, "No numbers here, only 1.")
    assert toasts(r) == [("warning", ("No data found: add a markdown table, 'label: value' "
                                     "lines, or at least two numbers."))]
    assert statuses(r) == [("No data to visualize", True)]
    assert r.message.embeds == [] and r.codes == []


@pytest.mark.parametrize(("answer", "status"), [
    (False, "Cancelled"),
    (owa.answers.timeout(), "Cancelled: " + TIMEOUT["error"]),
    (owa.answers.disconnect(), "Cancelled: " + DISCONNECT["error"]),
])
def test_visualize_cancel(answer: Any, status: str) -> None:
    r = run("visualize_data", TABLE, answers=[answer])
    assert_unchanged(r, TABLE)
    assert statuses(r) == [(status, True)]
    assert r.message.embeds == [] and r.codes == []


# --- weather ---------------------------------------------------------------------------------

KEY = "owm-test-key-0123456789"
URL = "https://api.openweathermap.org/data/2.5/weather"
VALVES = {"api_key": KEY, "retry_backoff": 0}
BERLIN = {  # OpenWeatherMap "current weather" answer, as documented
    "coord": {"lon": 13.4105, "lat": 52.5244},
    "weather": [{"id": 800, "main": "Clear", "description": "clear sky", "icon": "01d"}],
    "base": "stations",
    "main": {"temp": 21.3, "feels_like": 20.9, "temp_min": 19.8, "temp_max": 22.6,
             "pressure": 1016, "humidity": 40, "sea_level": 1016, "grnd_level": 1011},
    "visibility": 10000,
    "wind": {"speed": 3.6, "deg": 250},
    "clouds": {"all": 0},
    "dt": 1718000000,
    "sys": {"type": 2, "id": 2011538, "country": "DE", "sunrise": 1717988000,
            "sunset": 1718048000},
    "timezone": 7200,
    "id": 2950159,
    "name": "Berlin",
    "cod": 200,
}
SECTION = ("\n\n---\n### Weather in Berlin, DE\n- Conditions: clear sky\n"
           "- Temperature: 21.3 °C (feels like 20.9 °C)\n- Humidity: 40%\n- Wind: 3.6 m/s\n\n"
           "*Source: OpenWeatherMap*")
UNAUTHORIZED = {"cod": 401, "message": "Invalid API key. Please see "
                                       "https://openweathermap.org/faq#error401 for more info."}
NOT_FOUND = {"cod": "404", "message": "city not found"}


def weather(message: Any, responses: Any, **kw: Any) -> tuple[owa.Run, respx.Route]:
    kw.setdefault("valves", VALVES)
    with respx.mock(assert_all_called=False) as mock:
        route = mock.get(URL)
        if isinstance(responses, list | Exception):
            route.side_effect = responses
        else:
            route.return_value = responses
        r = run("weather", message, **kw)
    return r, route


def assert_key_hidden(r: owa.Run) -> None:
    shown = json.dumps([[e.raw for e in r.events], [c.raw for c in r.calls], r.result,
                        r.notifications, r.message.data], default=str)
    assert KEY not in shown
    assert KEY not in r.transcript


def test_weather_location_from_the_message() -> None:
    text = "Here is the weather for Berlin."
    r, route = weather(text, httpx.Response(200, json=BERLIN))
    assert route.call_count == 1
    params = route.calls.last.request.url.params
    assert dict(params) == {"q": "Berlin", "appid": KEY, "units": "metric"}
    assert r.calls == []  # the city came from the message: no dialog
    assert r.message.text == text + SECTION
    assert r.message.original_content == text
    assert statuses(r) == [("Fetching the weather for Berlin...", False),
                           ("Weather for Berlin added", True)]
    assert r.codes == []
    assert_key_hidden(r)


def test_weather_asks_for_the_city() -> None:
    r, route = weather("It is a nice day.", httpx.Response(200, json=BERLIN), answers=["berlin"])
    assert r.calls.types == ["input"]
    assert r.calls[0].data == {"title": "Weather", "message": "Which city?",
                               "placeholder": "New York", "value": "New York"}
    assert route.calls.last.request.url.params["q"] == "berlin"
    assert r.message.text == "It is a nice day." + SECTION
    assert r.codes == []


@pytest.mark.parametrize("answer", [True, ""])
def test_weather_dialog_defaults_to_default_location(answer: Any) -> None:
    valves = {**VALVES, "default_location": "Berlin", "units": "imperial",
              "base_url": "http://weather.test/v2/"}
    with respx.mock(assert_all_called=False) as mock:
        route = mock.get("http://weather.test/v2/weather").respond(200, json=BERLIN)
        r = run("weather", "Nothing to see.", answers=[answer], valves=valves)
    assert route.call_count == 1
    assert dict(route.calls.last.request.url.params) == {"q": "Berlin", "appid": KEY,
                                                         "units": "imperial"}
    assert "- Temperature: 21.3 °F (feels like 20.9 °F)" in r.message.text
    assert "- Wind: 3.6 mph" in r.message.text


def test_weather_second_click_replaces_the_section() -> None:
    text = "Here is the weather for Berlin." + SECTION
    r, _ = weather(text, httpx.Response(200, json=BERLIN))
    assert r.message.text == text


@pytest.mark.parametrize(("answer", "status"), [
    (False, "Cancelled"),
    (owa.answers.timeout(), "Cancelled: " + TIMEOUT["error"]),
    (owa.answers.disconnect(), "Cancelled: " + DISCONNECT["error"]),
])
def test_weather_cancel_sends_no_request(answer: Any, status: str) -> None:
    r, route = weather("No city named.", httpx.Response(200, json=BERLIN), answers=[answer])
    assert not route.called
    assert_unchanged(r, "No city named.")
    assert statuses(r) == [(status, True)]
    assert r.codes == []


def test_weather_without_key_sends_no_request() -> None:
    r, route = weather("The weather for Berlin.", httpx.Response(200, json=BERLIN), valves={})
    assert not route.called and r.calls == []
    assert_unchanged(r, "The weather for Berlin.")
    assert toasts(r) == [("error", ("Weather unavailable: no OpenWeatherMap API key is set. An "
                                   "admin can add it under Admin Panel > Functions > Weather > "
                                   "Valves (api_key)."))]
    assert statuses(r) == [("Weather unavailable: no API key set", True)]
    assert r.codes == []


def test_weather_strips_a_pasted_key() -> None:
    r, route = weather("The weather for Berlin.", httpx.Response(200, json=BERLIN),
                       valves={**VALVES, "api_key": f" {KEY}\n"})
    assert route.calls.last.request.url.params["appid"] == KEY
    assert r.message.text == "The weather for Berlin." + SECTION
    assert_key_hidden(r)


def test_weather_rejects_a_very_long_location() -> None:
    r, route = weather("No city named.", httpx.Response(200, json=BERLIN), answers=["x" * 101])
    assert not route.called
    assert_unchanged(r, "No city named.")
    assert toasts(r) == [("error", "Weather unavailable: that location name is too long.")]


def test_weather_units_valve_is_checked() -> None:
    with pytest.raises(owa.ValveError):
        weather("The weather for Berlin.", httpx.Response(200, json=BERLIN),
                valves={**VALVES, "units": "kelvin"})


FAILURES = [
    (httpx.Response(401, json=UNAUTHORIZED), 1,
     "the API key was rejected (HTTP 401). Check the api_key valve."),
    (httpx.Response(404, json=NOT_FOUND), 1, "no city called Berlin was found."),
    (httpx.Response(429, json={"cod": 429, "message": "limit"}), 1,
     "too many requests for this API key (HTTP 429); try later."),
    (httpx.Response(400, json={"cod": "400", "message": "wrong appid " + KEY}), 1,
     "the weather service answered HTTP 400: wrong appid ***."),
    ([httpx.Response(503)] * 3, 3, "the weather service is down (HTTP 503) (3 attempts)."),
    (httpx.ReadTimeout("timed out"), 3,
     "the weather service did not answer within 10 s (3 attempts)."),
    (httpx.ConnectError("refused"), 3,
     "the weather service is unreachable (ConnectError) (3 attempts)."),
    (httpx.Response(200, json={"cod": 200, "name": "Berlin"}), 1,
     "the weather service sent an unexpected answer."),
    (httpx.Response(200, text="<html>oops</html>"), 1,
     "the weather service sent an unexpected answer."),
]


@pytest.mark.parametrize(("responses", "requests", "problem"), FAILURES)
def test_weather_service_errors_are_shown(responses: Any, requests: int, problem: str) -> None:
    r, route = weather("The weather for Berlin.", responses)
    assert route.call_count == requests
    assert_unchanged(r, "The weather for Berlin.")
    assert toasts(r) == [("error", f"Weather unavailable: {problem}")]
    assert statuses(r)[-1] == (f"Weather unavailable: {problem}", True)
    assert all(done is False for _, done in statuses(r)[:-1])
    assert r.codes == []
    assert_key_hidden(r)


def test_weather_retries_a_503_then_succeeds() -> None:
    r, route = weather("The weather for Berlin.",
                       [httpx.Response(503), httpx.Response(200, json=BERLIN)])
    assert route.call_count == 2
    assert statuses(r) == [("Fetching the weather for Berlin...", False),
                           ("The weather service is down (HTTP 503); retry 1/2...", False),
                           ("Weather for Berlin added", True)]
    assert r.message.text == "The weather for Berlin." + SECTION
    assert r.codes == []


def test_weather_no_retries_when_max_retries_is_zero() -> None:
    r, route = weather("The weather for Berlin.", httpx.ReadTimeout("timed out"),
                       valves={**VALVES, "max_retries": 0, "timeout": 2.5})
    assert route.call_count == 1
    assert toasts(r) == [("error", ("Weather unavailable: the weather service did not answer "
                                   "within 2.5 s (1 attempt)."))]


# --- analyze_text ----------------------------------------------------------------------------

REVIEW = ("This guide is great and really helpful. It is not bad at all, but the setup is slow. "
          "Unfortunately there is one bug.")


@pytest.mark.parametrize(("kind", "text", "result"), [
    ("sentiment", REVIEW, "neutral (score +0.00; positive words: 3, negative words: 3)"),
    ("sentiment", "Great, clear and helpful.",
     "positive (score +1.00; positive words: 3, negative words: 0)"),
    ("sentiment", "This is not good: slow and broken.",
     "negative (score -1.00; positive words: 0, negative words: 3)"),
    ("keywords", ("Python actions run in Open WebUI. Actions get a body. The body holds "
                 "messages, and messages hold content."),
     "actions (2), body (2), messages (2), python (1), run (1)"),
    ("summary", "# Title\n\nFirst point here. Second point there! Third one?\n- item one.",
     "First point here. Second point there!"),
])
def test_analyze(kind: str, text: str, result: str) -> None:
    r = run("analyze_text", text, answers=[True, kind])
    label = {"sentiment": "Sentiment", "keywords": "Keywords", "summary": "Summary"}[kind]
    assert r.message.text == f"{text}\n\n---\n**Analysis: {label}**\n\n{result}"
    assert r.calls.types == ["confirmation", "input"]
    assert r.calls[0].data["title"] == "Analyze text"
    assert r.calls[1].data["type"] == "select"
    assert select_values(r.calls[1]) == ["sentiment", "keywords", "summary"]
    assert statuses(r) == [(f"Analysing ({kind})...", False), (f"Analysis added: {kind}", True)]
    assert r.codes == []


def test_analyze_replaces_an_earlier_result() -> None:
    first = run("analyze_text", REVIEW, answers=[True, "sentiment"])
    second = run("analyze_text", first.message.text, answers=[True, "summary"])
    assert second.message.text == REVIEW + "\n\n---\n**Analysis: Summary**\n\n" + (
        "This guide is great and really helpful. It is not bad at all, but the setup is slow.")


@pytest.mark.parametrize(("answers", "status"), [
    ([False], "Cancelled"),
    ([owa.answers.timeout()], "Cancelled: " + TIMEOUT["error"]),
    ([owa.answers.disconnect()], "Cancelled: " + DISCONNECT["error"]),
    ([True, False], "Cancelled"),
    ([True, owa.answers.timeout()], "Cancelled: " + TIMEOUT["error"]),
    ([True, owa.answers.disconnect()], "Cancelled: " + DISCONNECT["error"]),
])
def test_analyze_cancel_at_each_step(answers: list[Any], status: str) -> None:
    r = run("analyze_text", REVIEW, answers=answers)
    assert len(r.calls) == len(answers)
    assert_unchanged(r, REVIEW)
    assert statuses(r) == [(status, True)]
    assert r.codes == []


def test_analyze_proceeds_when_confirm_returns_a_stale_input_value() -> None:
    """After any input dialog with a `value` in the same tab (e.g. this action's own select on
    an earlier click), Open WebUI 0.12.4's Confirm returns that value instead of True
    (docs/research/frontend-facts.md Q5). ``owa.run`` models this within one run only, so the
    action is called directly here, with the answers a browser would give."""
    act = owa.load(str(ACTIONS / "analyze_text.py"))
    answers = iter(["sentiment", "summary"])  # stale select value, then the chosen analysis
    events: list[Any] = []

    async def event_call(event: Any) -> Any:
        return next(answers)

    async def emitter(event: Any) -> None:
        events.append(event)

    body = {"id": "m1", "messages": [{"id": "m1", "role": "assistant", "content": REVIEW}]}
    result = asyncio.run(act.instance.action(body, __event_emitter__=emitter,
                                             __event_call__=event_call))
    assert result["messages"][0]["content"].startswith(REVIEW + "\n\n---\n**Analysis: Summary**")
    assert events[-1]["data"] == {"description": "Analysis added: summary", "done": True}


def test_analyze_empty_message() -> None:
    r = run("analyze_text", "")
    assert r.calls == []
    assert toasts(r) == [("warning", "This message is empty: nothing to analyse.")]


# --- progress_demo ---------------------------------------------------------------------------

@pytest.mark.parametrize("steps", [5, 2])
def test_progress(steps: int) -> None:
    r = run("progress_demo", "The reply", valves={"steps": steps, "delay": 0})
    assert statuses(r) == ([("Starting...", False)]
                           + [(f"Step {i}/{steps}", False) for i in range(1, steps + 1)]
                           + [(f"Completed {steps} steps", True)])
    assert all(type(s["done"]) is bool for s in r.message.status_history)
    assert not r.message.shimmer
    assert toasts(r) == [("success", "Operation completed successfully")]
    assert_unchanged(r, "The reply")
    assert r.calls == [] and r.codes == []


def test_progress_default_valves_are_quick() -> None:
    r = run("progress_demo", "The reply")
    assert len(r.message.status_history) == 7
    assert r.elapsed < 3


def test_progress_rejects_zero_steps() -> None:
    with pytest.raises(owa.ValveError):
        run("progress_demo", "The reply", valves={"steps": 0})


# --- debug_errors ----------------------------------------------------------------------------

def test_debug_counts_words() -> None:
    r = run("debug_errors", "One two three, four-five! It\u2019s done.")
    assert statuses(r) == [("Counting words...", False), ("6 words, about 1 min read", True)]
    assert_unchanged(r, "One two three, four-five! It\u2019s done.")
    assert r.codes == []


def test_debug_reading_time_uses_the_valve() -> None:
    r = run("debug_errors", "word " * 301, valves={"words_per_minute": 100})
    assert statuses(r)[-1] == ("301 words, about 4 min read", True)


def test_debug_expected_failure_is_reported_not_raised() -> None:
    r = run("debug_errors", "  ...  ")
    assert r.error is None and r.http_status == 200
    assert toasts(r) == [("warning", "This message has no words to count.")]
    assert statuses(r)[-1] == ("Not counted: This message has no words to count.", True)
    assert r.message.error is None
    assert r.codes == []


def test_debug_valve_logs_details_but_not_the_text(caplog: pytest.LogCaptureFixture) -> None:
    secret = "Confidential reply about the merger"
    with caplog.at_level(logging.INFO):
        run("debug_errors", secret, valves={"debug": False})
    assert caplog.records == []
    with caplog.at_level(logging.INFO):
        run("debug_errors", secret, valves={"debug": True})
    logged = "\n".join(rec.getMessage() for rec in caplog.records)
    assert "word count: chat=" in logged and "chars=35" in logged
    assert "word count: 5 words, 1 min" in logged
    assert secret not in logged


def test_debug_unexpected_failure_propagates(caplog: pytest.LogCaptureFixture) -> None:
    # a message whose content is not text (a list): an unexpected failure
    chat = owa.chat({"role": "assistant", "content": ["not", "text"]})
    with caplog.at_level(logging.ERROR):
        r = run("debug_errors", chat)
    assert isinstance(r.error, TypeError) and r.http_status == 400
    assert r.message.error == {"content": f"Error: {r.error}"}
    assert statuses(r) == [("Counting words...", False), ("Word count failed", True)]
    assert r.codes == ["OWA407"]
    [record] = [rec for rec in caplog.records if rec.getMessage().startswith("word count")]
    assert record.getMessage().startswith("word count failed on message ")
    assert record.exc_info is not None and record.exc_info[0] is TypeError


# --- summarize (asks the model through Open WebUI's generate_chat_completion) ---------------

LONG = "Photosynthesis turns light, water and carbon dioxide into sugar and oxygen in plants."


def test_summarize_puts_the_summary_above_the_reply() -> None:
    r = run("summarize", owa.chat("Explain photosynthesis.", LONG), llm=["Plants make sugar."])
    assert r.message.text == f"> **Summary:** Plants make sugar.\n\n---\n\n{LONG}"
    assert statuses(r) == [("Summarizing...", False), ("Summary added", True)]
    asked = r.completions.last
    assert (asked.model, asked.stream) == ("kit_echo", False)
    assert [m["role"] for m in asked.messages] == ["system", "user"]
    assert asked.messages[1]["content"] == LONG
    assert "at most 40 words" in asked.messages[0]["content"]
    assert r.codes == [] and toasts(r) == []


@pytest.mark.parametrize(("placement", "text"), [
    ("below", f"{LONG}\n\n---\n\n> **Summary:** Short."),
    ("replace", "Short."),
])
def test_summarize_placement_valve(placement: str, text: str) -> None:
    r = run("summarize", LONG, llm=["  Short.\n"], valves={"placement": placement,
                                                          "max_words": 12})
    assert r.message.text == text
    assert "at most 12 words" in r.completions.last.messages[0]["content"]


def test_summarize_with_the_echo_model() -> None:
    r = run("summarize", LONG)
    assert r.message.text.startswith(f"> **Summary:** echo: {LONG}")
    assert r.completions.last.source == "echo"


@pytest.mark.parametrize("failure", [owa.llm.error("The model is overloaded"),
                                     TimeoutError("The model is overloaded")])
def test_summarize_model_error_is_shown_and_the_reply_kept(failure: Any) -> None:
    r = run("summarize", LONG, llm=[failure])
    assert_unchanged(r, LONG)
    assert toasts(r) == [("error", "No summary: The model is overloaded.")]
    assert statuses(r)[-1] == ("No summary", True)
    assert r.ok and r.codes == []


def test_summarize_unknown_model_valve_is_reported_not_raised() -> None:
    r = run("summarize", LONG, valves={"model": "gpt-4o"})
    assert_unchanged(r, LONG)
    assert toasts(r) == [("error", "No summary: Model not found.")]
    refused = r.completions.last  # recorded with what the action got: the exception
    assert refused.reply.describe() == "raised Exception('Model not found')"
    assert r.codes == ["OWA702"]
    chat = owa.chat("Hi", LONG, model="gpt-4o")
    assert run("summarize", chat, llm=["Short."], valves={"model": "gpt-4o"}).ok


def test_summarize_empty_reply_and_empty_summary() -> None:
    r = run("summarize", "   ")
    assert_unchanged(r, "   ")
    assert toasts(r) == [("error", "No summary: there is no text to summarize.")]
    r = run("summarize", LONG, llm=[""])
    assert_unchanged(r, LONG)
    assert toasts(r) == [("error", "No summary: the model returned an empty summary.")]


def test_summarize_a_second_model_call_would_need_a_second_reply() -> None:
    with pytest.raises(owa.LeftoverRepliesError):
        run("summarize", LONG, llm=["one", "two"])
