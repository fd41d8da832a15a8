"""The one table of finding codes: what the kit tells an action's author, and the fix.

A *finding* is a fact about an action that matters in Open WebUI 0.12.4: something that
would break, hang, be ignored, or behave differently from what the author likely meant.
Static findings come from reading the file (``owa.check``); run findings from what a run
revealed (``run.findings``). Codes are stable; ``docs/findings.md`` is generated from
this table (``python -m owa_kit._findings``) and a test keeps the two in step.

Code ranges: OWA1xx loading and the file, OWA2xx emitted events, OWA3xx event calls,
OWA4xx return values, OWA5xx valves and users, OWA6xx parameters and the runtime, OWA7xx
Open WebUI internals (``open_webui.*``) and the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    name: str
    message: str
    fix: str


@dataclass(frozen=True)
class Finding:
    """One finding: ``code``, ``severity``, ``message``, ``fix`` and where (``path:line``)."""

    code: str
    severity: Severity
    name: str
    message: str
    fix: str
    path: str | None = None
    line: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def where(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        where = f"{self.where}: " if self.where else ""
        return f"{where}{self.code} {self.severity}: {self.message}\n    fix: {self.fix}"


_RULES: tuple[Rule, ...] = (
    # --- OWA1xx: loading and the file -------------------------------------------------------
    Rule("OWA101", "error", "no-action-class",
         "no class `Action` at module level; Open WebUI raises 'No Function class found in the module'",
         "define `class Action:` at the top level of the file"),
    Rule("OWA102", "error", "classified-as-other-type",
         "the file defines `Action` but also has a module-level `{other}`, so Open WebUI "
         "classifies it as a {kind} (detection order Pipe > Filter > Action > Event)",
         "rename or remove the module-level `{other}` (import it inside a function, or as `import x` and use `x.{other}`)"),
    Rule("OWA103", "error", "action-init-fails",
         "`Action()` raised {error}; Open WebUI refuses to save the function "
         "('[ERROR: Error creating function]')",
         "make `Action.__init__` work with no arguments"),
    Rule("OWA104", "error", "required-valve",
         "Valves field `{field}` has no default: `Valves()` fails, so saving fails if `__init__` "
         "builds it, and every click fails with HTTP 400 until an admin saves the valves",
         "give `{field}` a default, e.g. "
         "`{field}: {annotation} = Field(default={example}, description=...)`"),
    Rule("OWA105", "error", "no-action-method",
         "`Action` has no `action` method; Open WebUI returns the request body unchanged and nothing happens",
         "define `async def action(self, body: dict, ...)` on `Action`"),
    Rule("OWA106", "error", "syntax-error",
         "the file does not compile: {error}",
         "fix the syntax error at the line shown"),
    Rule("OWA107", "error", "import-fails",
         "executing the file raised {error}",
         "fix the module-level code; Open WebUI refuses to save a function whose module fails to run"),
    Rule("OWA110", "warning", "frontmatter-not-parsed",
         "the first line is not a lone `\"\"\"`, so Open WebUI reads no frontmatter (title, requirements, icon_url are lost)",
         "start the file with a line holding only `\"\"\"`, then `key: value` lines, then `\"\"\"`"),
    Rule("OWA111", "warning", "frontmatter-key-ignored",
         "frontmatter line `{text}` is ignored: keys may hold only letters and underscores",
         "rename the key to letters and underscores only (e.g. `icon_url`)"),
    Rule("OWA112", "warning", "frontmatter-quoted-value",
         "frontmatter `{key}` keeps its quotes: the value is `{value}`",
         "remove the quotes; frontmatter values are taken verbatim"),
    Rule("OWA113", "warning", "frontmatter-closing-line-lost",
         "the closing line `{text}` contains `\"\"\"` and is not parsed, so `{key}` is lost",
         "put the closing `\"\"\"` on a line of its own"),
    Rule("OWA114", "error", "requirement-missing",
         "frontmatter requirement `{req}` is not installed here; Open WebUI pip-installs it at save time "
         "(unless OFFLINE_MODE) and fails to save if pip fails",
         "install it in this environment (`pip install {req}`) to run the action here"),
    Rule("OWA115", "warning", "requirement-has-space",
         "frontmatter requirement `{req}` contains a space; Open WebUI passes each comma-separated item "
         "as one pip argument, so pip fails",
         "write version specs without spaces, e.g. `requests>=2.31`"),
    Rule("OWA116", "info", "required-version-not-enforced",
         "`required_open_webui_version: {value}` is enforced only by the web editor, never by the API",
         "nothing to do; just don't rely on it to block older servers"),
    Rule("OWA117", "warning", "base64-icon",
         "the icon is a data URL of {size} bytes; it is copied into `/api/models` for every model",
         "serve the icon from a URL, or keep it small"),
    Rule("OWA118", "warning", "import-rewritten",
         "Open WebUI rewrites `{old}` to `{new}` anywhere in the text (even in strings) before running it",
         "avoid the text `{old}` in the source, e.g. write `from . import` or reword the string"),
    Rule("OWA119", "warning", "dunder-file",
         "the module uses `__file__`; in Open WebUI it names a temp copy of the code that is "
         "deleted right after the module runs",
         "do not read files next to the action; put data in the source, a valve, or download it"),
    Rule("OWA120", "warning", "module-level-actions",
         "a module-level `actions` list is ignored: Open WebUI reads `actions` from the Action class or instance",
         "move `actions = [...]` into `class Action` (or set `self.actions` in `__init__`)"),
    Rule("OWA121", "error", "sub-action-without-id",
         "sub-action #{index} has no `id`: Open WebUI raises KeyError while listing models, which breaks `/api/models`",
         "give every entry of `actions` an `id`"),
    Rule("OWA122", "error", "sub-action-id-with-dot",
         "sub-action id `{id}` contains `.`: the click fails with HTTP 400 ('too many values to unpack')",
         "use ids without dots"),
    Rule("OWA123", "warning", "priority-not-a-valve",
         "`priority` is a class attribute; Open WebUI reads it only as a Valves field",
         "declare `priority: int = Field(default=0, ...)` in `Valves`"),
    Rule("OWA124", "warning", "priority-not-numeric",
         "the Valves field `priority` is not a number ({value!r}); sorting actions mixed with numbers raises in /api/models",
         "declare `priority: int = 0`"),
    Rule("OWA125", "warning", "module-level-icon",
         "a module-level `{name}` is ignored: Open WebUI reads it from the Action class or instance, or `icon_url` in the frontmatter",
         "move `{name}` into `class Action`, or put `icon_url:` in the frontmatter"),
    Rule("OWA126", "warning", "sub-action-not-a-list",
         "`actions` is {kind}, not a list of dicts; Open WebUI shows no sub-action buttons",
         "set `actions = [{{\"id\": \"one\", \"name\": \"One\"}}, ...]`"),
    Rule("OWA127", "warning", "sub-actions-empty",
         "`actions` is an empty list: Open WebUI shows no button at all for this action",
         "remove `actions` for a single button, or list the sub-actions"),
    Rule("OWA128", "error", "invalid-id",
         "id `{id}` is not a Python identifier: Open WebUI refuses to create the function "
         "('Only alphanumeric characters and underscores are allowed in the id')",
         "rename the file (or pass `id=`): letters, digits and underscores, not starting "
         "with a digit"),
    Rule("OWA130", "warning", "sync-action",
         "`action` is not async: Open WebUI runs it on the server's event loop, blocking every user, "
         "and it cannot await the emitter or event calls",
         "write `async def action(...)`"),
    Rule("OWA131", "error", "requests-asyncclient",
         "`requests.AsyncClient` does not exist; this raises AttributeError when it runs",
         "use `httpx.AsyncClient` (shipped with Open WebUI) and `await client.get(...)`"),
    Rule("OWA132", "warning", "blocking-http",
         "`{call}` blocks the event loop inside an async action, freezing the server for every user",
         "{hint}"),
    Rule("OWA133", "warning", "generator-action",
         "`action` is a generator; Open WebUI does not iterate it and fails to serialise the result",
         "return a value instead of yielding"),
    # --- OWA2xx: emitted events ---------------------------------------------------------------
    Rule("OWA201", "warning", "unknown-event-type",
         "event type `{type}` is not handled by Open WebUI 0.12.4: the browser logs 'Unknown message type' and ignores it",
         "use one of: {known}"),
    Rule("OWA202", "warning", "status-done-not-bool",
         "status `done` is {value!r}; only exactly `false` shows the in-progress shimmer, anything else renders as done",
         "send `\"done\": False` while working and `\"done\": True` when finished"),
    Rule("OWA203", "info", "status-done-missing",
         "status without `done`: it renders as finished (no shimmer), contrary to the docs",
         "send `\"done\": False` while working and `\"done\": True` at the end"),
    Rule("OWA204", "warning", "status-left-running",
         "the run ended while the last status still had `done: false`; the shimmer keeps running in Open WebUI",
         "emit a final status with `\"done\": True`"),
    Rule("OWA205", "warning", "status-progress-field",
         "status field `{field}` is not read by Open WebUI (there is no progress bar)",
         "put the progress into the description, e.g. 'Step 2/5'"),
    Rule("OWA206", "warning", "content-event-invisible",
         "`{type}` changes `content`, but the clicked reply renders from `output` in 0.12.4, so the user sees no change",
         "return `{{\"messages\": [{{\"id\": body[\"id\"], \"content\": new_text}}]}}` to rewrite the visible text"),
    Rule("OWA207", "error", "malformed-event",
         "event #{index} is malformed: {problem}",
         "emit a dict like `{{\"type\": \"status\", \"data\": {{...}}}}`"),
    Rule("OWA208", "warning", "event-data-invalid",
         "`{type}` event data does not match what Open WebUI reads: {problem}",
         "{hint}"),
    Rule("OWA209", "warning", "title-not-string",
         "`chat:title` data is {kind}; Open WebUI sets the title to `data` itself (a dict shows as [object Object])",
         "emit `{{\"type\": \"chat:title\", \"data\": \"The title\"}}`"),
    Rule("OWA210", "info", "tags-data-ignored",
         "`chat:tags` data is ignored: Open WebUI re-fetches the tags from the database",
         "update tags through the chats API instead"),
    Rule("OWA211", "warning", "follow-ups-wrong-type",
         "`{type}` is not an Open WebUI event; follow-ups need `chat:message:follow_ups` with `data.follow_ups`",
         "emit `{{\"type\": \"chat:message:follow_ups\", \"data\": {{\"follow_ups\": [...]}}}}`"),
    Rule("OWA212", "warning", "dialog-via-emitter",
         "`{type}` sent through `__event_emitter__` shows a dialog whose answer goes nowhere (no callback)",
         "use `await __event_call__(...)` for `{type}`"),
    Rule("OWA213", "info", "event-not-persisted",
         "`{type}` is not saved by the server; it reaches the database only through the open tab's save after the action",
         "use the short names (`status`, `message`, `replace`, `files`, `embeds`, `source`) for changes that must persist"),
    Rule("OWA214", "error", "event-not-serialisable",
         "event #{index} cannot be sent as JSON: {error}",
         "emit only JSON values (dict, list, str, int, float, bool, None)"),
    # --- OWA3xx: event calls -----------------------------------------------------------------
    Rule("OWA301", "error", "unanswered-call-type",
         "`__event_call__` type `{type}` is never answered by Open WebUI 0.12.4: the action hangs until the tab "
         "closes (or WEBSOCKET_EVENT_CALLER_TIMEOUT) and then gets an error dict",
         "{hint}"),
    Rule("OWA302", "warning", "call-result-truthiness",
         "the `{type}` call returned the error dict {value!r}, which is truthy: `if result:` treats it as success",
         "check `result is True` (confirmation) or `isinstance(result, str)` (input)"),
    Rule("OWA303", "warning", "input-cancel-not-none",
         "input returned `False` (Cancel); code that checks `is None` misses it",
         "treat `False` as cancel: `if result is False or isinstance(result, dict): ...`"),
    Rule("OWA304", "warning", "select-without-options",
         "input of `type: select` has no `options`; the dropdown is empty",
         "pass `options: [\"a\", \"b\"]` or `[{{\"label\": ..., \"value\": ...}}]`"),
    Rule("OWA305", "warning", "input-field-unknown",
         "input data key `{key}` is not read by Open WebUI 0.12.4{hint}",
         "use `title`, `message`, `placeholder`, `value`, `type` and `options`"),
    Rule("OWA306", "error", "malformed-call",
         "event call #{index} is malformed: {problem}",
         "call `await __event_call__({{\"type\": \"confirmation\", \"data\": {{...}}}})`"),
    Rule("OWA307", "warning", "confirmation-returns-stale-input",
         "confirmation #{index} came after an input call with `value` {value!r}; Open WebUI 0.12.4 keeps that value, so Confirm hands the action the string {value!r} instead of `True`",
         "test a confirmation with `if result is not False and not isinstance(result, dict)` (not `is True`), or ask for confirmation before any input that has a `value`"),
    Rule("OWA308", "warning", "confirmation-compared-to-true",
         "`{name}` (a confirmation result) is compared with `True`; in Open WebUI 0.12.4 Confirm returns the last input dialog's `value` instead of `True` when that was not empty, and the value stays for later clicks in the same tab, so Confirm looks like Cancel",
         "treat only `False` (and an error dict) as cancel: `if {name} is False or isinstance({name}, dict): return`"),
    # --- OWA4xx: return values ----------------------------------------------------------------
    Rule("OWA401", "warning", "return-ignored",
         "the return value {shape} is ignored by Open WebUI 0.12.4: only `{{\"messages\": [...]}}` (and inline HTMLResponse) change the chat",
         "{hint}"),
    Rule("OWA402", "error", "messages-unknown-id",
         "returned `messages` entry #{index} has id {id!r}, which is not in the chat: the browser throws and nothing is saved",
         "use `body[\"id\"]` (or an id from `body[\"messages\"]`)"),
    Rule("OWA403", "error", "return-not-serialisable",
         "the return value cannot be sent as JSON ({error}); Open WebUI's `json.dumps` of the result fails and the click answers HTTP 400",
         "return only JSON values (convert dates, sets, pydantic models with `.model_dump(mode=\"json\")`)"),
    Rule("OWA404", "warning", "html-not-inline",
         "an HTMLResponse without `Content-Disposition: inline` is sent as raw HTML; the browser fails to parse it",
         "return `HTMLResponse(html, headers={{\"Content-Disposition\": \"inline\"}})`"),
    Rule("OWA405", "warning", "messages-entry-malformed",
         "returned `messages` entry #{index} is {kind}, not a dict with an `id`",
         "return `{{\"messages\": [{{\"id\": body[\"id\"], \"content\": ...}}]}}`"),
    Rule("OWA406", "warning", "error-returned",
         "the action returned an error shape ({shape}); Open WebUI shows nothing to the user",
         "emit a `notification` of type `error` or `chat:message:error`, or raise to show an error box"),
    Rule("OWA407", "warning", "action-raised",
         "the action raised {error}: Open WebUI answers HTTP 400 and shows `Error: ...` on the message",
         "catch expected failures and report them with a `notification` or a status"),
    # --- OWA5xx: valves and users -------------------------------------------------------------
    Rule("OWA501", "warning", "valves-never-applied",
         "the instance has no `valves` attribute, so stored valves are never applied",
         "set `self.valves = self.Valves()` in `__init__`"),
    Rule("OWA502", "error", "user-valves-subscript",
         "`__user__[\"valves\"][...]`: `__user__[\"valves\"]` is a `UserValves` instance, not a dict",
         "use attribute access: `__user__[\"valves\"].{name}`"),
    Rule("OWA503", "warning", "secret-valve-unmasked",
         "valve `{field}` looks like a secret but is not declared as a password input",
         "add `json_schema_extra={{\"input\": {{\"type\": \"password\"}}}}` to its Field"),
    Rule("OWA504", "warning", "user-valves-not-a-dict-key",
         "`__user__.get(\"valves\")` is None when `UserValves` is missing or failed to build",
         "declare `class UserValves(BaseModel)` with defaults"),
    # --- OWA6xx: parameters and the runtime ---------------------------------------------------
    Rule("OWA601", "warning", "param-never-passed",
         "parameter `{name}` is never passed to actions{detail}",
         "{hint}"),
    Rule("OWA602", "error", "param-required-never-passed",
         "parameter `{name}` has no default and Open WebUI never passes it: every click fails with HTTP 400 (TypeError)",
         "remove `{name}`; {hint}"),
    Rule("OWA603", "info", "kwargs-get-nothing",
         "`**{name}` receives no extra parameters: Open WebUI passes `body` and only the "
         "parameters named in the signature",
         "name the parameters you need (`__user__`, `__event_emitter__`, `__event_call__`, ...)"),
    Rule("OWA604", "error", "body-content-key",
         "`body[\"content\"]` does not exist: the message text is in `body[\"messages\"][-1][\"content\"]`",
         "read `body[\"messages\"][-1][\"content\"]` (the clicked message)"),
    Rule("OWA605", "warning", "body-key-unknown",
         "`body[{key!r}]` is not in the body Open WebUI sends (keys: chat_id, id, messages, model, session_id)",
         "{hint}"),
    Rule("OWA606", "error", "no-body-param",
         "`action` has no `body` parameter; Open WebUI always passes `body=` and the call fails with HTTP 400",
         "add `body: dict` to the signature"),
    Rule("OWA607", "warning", "self-state",
         "the action stores per-request state on `self.{attr}`; one instance is shared by all users and calls",
         "keep per-request values in local variables"),
    Rule("OWA608", "warning", "traceback-unimported",
         "`traceback` is used but never imported; the handler itself raises NameError",
         "add `import traceback`"),
    Rule("OWA609", "error", "method-undefined",
         "`self.{name}(...)` is not defined on `Action`: the call raises AttributeError when it runs",
         "define `{name}` in `class Action` (guides often show only part of the class)"),
    Rule("OWA610", "error", "valve-undefined",
         "`self.valves.{name}` is not a field of `Valves`: reading it raises AttributeError",
         "declare `{name}` in `Valves` with a default, or use a declared field ({fields})"),
    # --- OWA7xx: Open WebUI internals and the model -------------------------------------------
    Rule("OWA701", "error", "internal-not-awaited",
         "`{call}` is async in Open WebUI 0.12.4 (since 0.9.0): without `await` it returns a coroutine, and reading from it (`user.role`, `chat.chat`) raises AttributeError",
         "write `await {call}`"),
    Rule("OWA702", "warning", "model-not-found",
         "the action asked for model {model!r}, which is not in `app.state.MODELS` (known: {known}); Open WebUI raises 'Model not found'",
         "ask for `body[\"model\"]` (the chat's model), or run in a chat whose model it is: `owa.chat(..., model={model!r})`"),
    Rule("OWA703", "warning", "model-error-unhandled",
         "completion #{index} came back as a model error: 0.12.4 returns a pipe's failure as `{{\"error\": {{\"detail\": ...}}}}` (no exception), and the action then failed with {error}",
         "check `if \"error\" in response:` before reading `response[\"choices\"]`, and tell the user with a notification"),
    Rule("OWA704", "warning", "internal-not-emulated",
         "`{name}` exists in Open WebUI 0.12.4, but the kit does not emulate it, so the kit cannot run this action offline",
         "run it live against a server: `await owa.run(act, ..., server=owa.Server(url, token))`"),
    Rule("OWA705", "error", "completion-user-not-a-model",
         "`generate_chat_completion` gets {what} as `user`: 0.12.4 reads `user.role` and raises AttributeError",
         "pass a user object: `UserModel(**__user__)` or `await Users.get_user_by_id(__user__[\"id\"])`"),
    Rule("OWA706", "error", "internal-missing",
         "`{name}` does not exist in Open WebUI 0.12.4{hint}; the action fails there",
         "{fix}"),
)

RULES: dict[str, Rule] = {r.code: r for r in _RULES}
assert len(RULES) == len(_RULES), "duplicate finding code"


def finding(code: str, *, path: str | None = None, line: int | None = None, **values: Any) -> Finding:
    """Make the finding ``code`` with its message and fix filled from ``values``."""
    rule = RULES[code]
    return Finding(
        code=rule.code,
        severity=rule.severity,
        name=rule.name,
        message=rule.message.format(**values),
        fix=rule.fix.format(**values),
        path=path,
        line=line,
        extra=dict(values),
    )


def render_markdown() -> str:
    """The findings reference, ``docs/findings.md``."""
    lines = [
        "# Findings",
        "",
        "Every finding the kit reports, generated from `owa_kit/_findings.py`"
        " (`python -m owa_kit._findings > docs/findings.md`).",
        "`{...}` stands for the value found in your action.",
        "",
        "| code | severity | name | what it means | fix |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in _RULES:
        msg = r.message.replace("|", "\\|")
        fix = r.fix.replace("|", "\\|")
        lines.append(f"| {r.code} | {r.severity} | {r.name} | {msg} | {fix} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(render_markdown(), end="")
