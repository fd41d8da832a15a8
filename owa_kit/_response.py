"""The click's HTTP answer: the server's ``process_tool_result`` on the return value (inline
HTML becomes an embed, a dict must survive ``json.dumps``), and what the tab does with the
answer (``chatActionHandler``: merge ``{"messages": [...]}``, or show the error).
docs/research/frontend-facts.md Q1, Q8, Q9."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from ._apply import merge_returned
from ._findings import finding
from ._profile import Profile
from ._run import Run
from .errors import ActionStopped, ActionTimeoutError, UnansweredCallError


def tab_cannot_parse(r: Run, text: str) -> None:
    """The tab's ``res.json()`` throws on a body that is not JSON (raw HTML, a plain 500
    page): a toast with the SyntaxError and an error box holding the Error object, which
    is saved as ``{}`` (frontend-facts Q1). The message text is V8's, approximated."""
    shown = f'"{text[:10]}"...' if len(text) > 10 else f'"{text}"'
    token = text[:1] or "end of JSON input"
    r.notifications.append({"type": "error", "content":
                            f"SyntaxError: Unexpected token '{token}', {shown} is not valid JSON"})
    r.chat.messages[r.chat.current_id]["error"] = {"content": {}}


def http_detail(body: Any) -> str:
    """What the tab's ``chatAction`` throws for an error body: its ``detail``, else the body."""
    if isinstance(body, dict) and "detail" in body:
        return str(body["detail"])
    return str(body)


def show_error(r: Run, detail: str, *, toast: bool = True) -> None:
    """The tab after a failed click (``chatActionHandler``'s catch): an error box on the
    message, and a toast."""
    r.chat.messages[r.chat.current_id]["error"] = {"content": detail}
    if toast:
        r.notifications.append({"type": "error", "content": detail})


def fail(r: Run, error: BaseException, profile: Profile, detail: str | None = None, *,
          in_action: bool = True) -> None:
    r.error = error
    r.http_status = 400
    if detail is None:
        detail = profile.action_error_format.format(error=error)
    r.http_body = {"detail": detail}
    if isinstance(error, UnansweredCallError):
        pass  # the call already added OWA301
    elif isinstance(error, ActionTimeoutError):
        pass
    elif in_action and not isinstance(error, ActionStopped):
        r.add_finding(finding("OWA407", error=f"{type(error).__name__}: {error}"))


async def process_return(r: Run, result: Any, emitter: Callable[[Any], Any]) -> Any:
    """The server side of the return value (``process_tool_result``, frontend-facts Q9):
    inline HTML becomes an embed, other tuples are ``(result, headers)``, and a dict or list
    must survive ``json.dumps`` or the click fails with HTTP 400."""
    fid = r.action.id
    html = _inline_html(result)
    if html is None and isinstance(result, tuple):
        if len(result) != 2:  # the server unpacks `result, headers = ...`
            got = "too many values to unpack (expected 2)" if len(result) > 2 else (
                f"not enough values to unpack (expected 2, got {len(result)})")
            fail(r, ValueError(got), r.profile, in_action=False)
            return None
        html = _headers_html(*result)
        if html is None:
            r.http_body = json.loads(json.dumps(list(result), default=_jsonable))
            return r.http_body
    if html is not None:
        body, context, status = html
        if body is None:
            r.add_finding(finding("OWA404"))
            # the route returns the HTMLResponse itself: HTTP 200 with the HTML as the body
            # (utils/actions.py:129-148 leaves `data` alone without embeds)
            raw = getattr(result, "body", None)
            r.http_status, r.http_raw = 200, True
            r.http_body = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else None
            return result
        await emitter({"type": "embeds", "data": {"embeds": [body]}})
        r.embedded = True
        r.http_body = _ui_result(fid, context, status)
        return r.http_body
    if isinstance(result, dict | list):
        try:
            json.dumps(result, indent=2, ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            r.add_finding(finding("OWA403", error=str(exc)))
            fail(r, exc, r.profile, in_action=False)
            return None
    try:
        r.http_body = json.loads(json.dumps(result, default=_jsonable))
    except (TypeError, ValueError) as exc:
        r.add_finding(finding("OWA403", error=str(exc)))
        r.http_status, r.http_body, r.http_raw = 500, "Internal Server Error", True
        return None
    return result


def _ui_result(fid: str, context: Any, status: int) -> str:
    """The HTTP body after an inline embed: a JSON *string* (so the tab merges nothing)."""
    if isinstance(context, str):
        return context
    if isinstance(context, list):
        context = {"results": context}
    if not isinstance(context, dict):
        if 200 <= status < 300:
            context = {"status": "success", "code": "ui_component",
                       "message": f"{fid}: Embedded UI result is active and visible to the user."}
        else:
            what = ("Client error" if 400 <= status < 500 else "Server error"
                    if 500 <= status < 600 else "Unexpected status code")
            context = {"status": "error", "code": "ui_component",
                       "message": f"{fid}: {what} {status} from embedded UI result."}
    return json.dumps(context, indent=2, ensure_ascii=False)


def _inline_html(result: Any) -> tuple[str | None, Any, int] | None:
    """(html, context, status) for an HTMLResponse return; html None when it is not inline."""
    context = None
    if isinstance(result, tuple) and len(result) == 2 and _is_html_response(result[0]):
        result, context = result
    if not _is_html_response(result):
        return None
    disposition = str(result.headers.get("content-disposition", ""))
    if "inline" not in disposition:
        return None, None, 200
    raw = result.body
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes | bytearray) else str(raw)
    return text, context, int(getattr(result, "status_code", 200))


def _headers_html(value: Any, headers: Any) -> tuple[str | None, Any, int] | None:
    """A ``(html, headers)`` tuple with an inline text/html disposition embeds the html;
    a ``Location`` header embeds that URL."""
    if not isinstance(headers, dict):
        return None
    low = {str(k).lower(): v for k, v in headers.items()}
    if "inline" not in str(low.get("content-disposition", "")):
        return None
    if low.get("location"):
        return str(low["location"]), None, 200
    if "text/html" not in str(low.get("content-type", "")):
        return None
    context = None
    if isinstance(value, tuple) and len(value) == 2:
        value, context = value
    return (value if isinstance(value, str) else json.dumps(value)), context, 200


def _is_html_response(value: Any) -> bool:
    return type(value).__name__ == "HTMLResponse" and hasattr(value, "body")


def _jsonable(value: Any) -> Any:
    """What FastAPI's ``jsonable_encoder`` accepts beyond plain JSON."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    iso = getattr(value, "isoformat", None)
    if callable(iso):
        return iso()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def apply_return(r: Run, result: Any, profile: Profile) -> bool:
    """The tab's ``chatActionHandler``: merge ``messages``; True when the tab saves."""
    history = r.chat.messages
    messages = result.get("messages") if isinstance(result, dict) else None
    if messages:
        if not isinstance(messages, list):
            r.add_finding(finding("OWA405", index=0, kind=type(messages).__name__))
            return False
        for i, entry in enumerate(messages):
            if not isinstance(entry, dict) or "id" not in entry:
                r.add_finding(finding("OWA405", index=i, kind=type(entry).__name__
                                      if not isinstance(entry, dict) else "a dict without `id`"))
                return False
            if entry["id"] not in history:
                r.add_finding(finding("OWA402", index=i, id=entry["id"]))
                return False
            merge_returned(history, entry)
        return True
    if result is None or r.embedded:
        return True
    shape = describe_shape(result)
    if isinstance(result, dict) and ("error" in result or "traceback" in result):
        r.add_finding(finding("OWA406", shape=shape))
    else:
        r.add_finding(finding("OWA401", shape=shape, hint=return_hint(result)))
    return True


def describe_shape(result: Any) -> str:
    if isinstance(result, dict):
        return "{" + ", ".join(f'"{k}": ...' for k in list(result)[:4]) + "}"
    return f"a {type(result).__name__}"


def return_hint(result: Any) -> str:
    if isinstance(result, dict) and "content" in result:
        return ('return {"messages": [{"id": body["id"], "content": new_text}]} to rewrite the '
                "message")
    return ('return {"messages": [{"id": body["id"], ...}]} to change the message, or show it '
            "with an event (status, notification)")
