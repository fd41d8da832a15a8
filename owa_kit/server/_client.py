"""A small REST client for Open WebUI 0.12.4, with every HTTP failure turned into a kit error.

All I/O goes through one ``httpx.Client``; pass ``transport=httpx.MockTransport(...)`` to test
offline. The token is held privately and never appears in a repr, a message or a log.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any

import httpx

from ..errors import AuthError, NotAdminError, ServerRejected, ServerUnreachable
from ._target import TOKEN_ENV, URL_ENV, resolve_url_token

__all__ = ["Client", "resolve_url_token"]

F = "/api/v1/functions"

# Open WebUI's own texts (constants.py ERROR_MESSAGES): several share status 401.
_NOT_FOUND = "We could not find what you're looking for"
_PROHIBITED = "You do not have permission"
_AUTH_FIX = (f"sign in to the server again and pass the new token with --token or {TOKEN_ENV} "
             "(Settings > Account > API keys, or the `token` of POST /api/v1/auths/signin)")


class Client:
    """REST access to one Open WebUI server.

    >>> with Client("http://127.0.0.1:8080", token) as c:       # doctest: +SKIP
    ...     [f["id"] for f in c.functions()]

    Errors: ``ServerUnreachable`` (nothing answers), ``AuthError`` (401),
    ``NotAdminError`` (the user is not an admin), ``ServerRejected`` (any other error answer,
    with ``status`` and the server's ``detail``).
    """

    def __init__(self, url: str, token: str | None = None, *,
                 transport: httpx.BaseTransport | None = None, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self._token = token
        self._http = httpx.Client(base_url=self.url, transport=transport, timeout=timeout)

    def __repr__(self) -> str:
        return f"<Client {self.url} token={'set' if self._token else 'none'}>"

    def __enter__(self) -> Client:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    @property
    def has_token(self) -> bool:
        return self._token is not None

    # --- the one seam -----------------------------------------------------------------

    def request(self, method: str, path: str, *, json: Any = None,
                params: Mapping[str, str] | None = None, auth: bool = True) -> Any:
        """Send one request; return the decoded JSON body or raise a kit error."""
        headers = {}
        if auth:
            if self._token is None:
                raise AuthError(f"owa-kit: no token for {self.url}; pass --token or set "
                                f"{TOKEN_ENV} (an admin's token)",
                                method=method, url=self.url + path)
            headers["Authorization"] = f"Bearer {self._token}"
        try:
            resp = self._http.request(method, path, json=json, params=params, headers=headers)
        except httpx.TransportError as exc:
            raise ServerUnreachable(
                f"owa-kit: cannot reach Open WebUI at {self.url} ({type(exc).__name__}: {exc}); "
                f"start the server or fix --url / {URL_ENV}", url=self.url) from exc
        if resp.is_success:
            return _body(resp)
        raise _translate(resp, method, path)

    # --- auth -------------------------------------------------------------------------

    def signup(self, name: str, email: str, password: str) -> dict[str, Any]:
        """Create a user (the first one on a fresh server is the admin) and use its token."""
        return self._take_token(self.request(
            "POST", "/api/v1/auths/signup", auth=False,
            json={"name": name, "email": email, "password": password}))

    def signin(self, email: str, password: str) -> dict[str, Any]:
        """Sign in and use the returned token."""
        return self._take_token(self.request(
            "POST", "/api/v1/auths/signin", auth=False,
            json={"email": email, "password": password}))

    def _take_token(self, user: dict[str, Any]) -> dict[str, Any]:
        self._token = str(user["token"])
        self._http.cookies.clear()  # the server sets a `token` cookie; the header is enough
        return user

    @property
    def token(self) -> str | None:
        """The token in use: hand it to code that needs it, never print it."""
        return self._token

    def me(self) -> dict[str, Any]:
        result: dict[str, Any] = self.request("GET", "/api/v1/auths/")
        return result

    def require_admin(self) -> dict[str, Any]:
        """The signed-in user; ``NotAdminError`` unless it is an admin."""
        user = self.me()
        if user.get("role") != "admin":
            raise NotAdminError(
                f"owa-kit: the token's user {user.get('email')!r} is a {user.get('role')!r}, "
                "not an admin; functions can only be deployed with an admin's token",
                method="GET", url=self.url + "/api/v1/auths/", status=200)
        return user

    def config(self) -> dict[str, Any]:
        result: dict[str, Any] = self.request("GET", "/api/config")
        return result

    # --- functions --------------------------------------------------------------------

    def functions(self) -> list[dict[str, Any]]:
        """Every function, without content."""
        result: list[dict[str, Any]] = self.request("GET", f"{F}/")
        return result

    def function(self, fid: str) -> dict[str, Any] | None:
        """One function with its content, or ``None`` if there is none with this id."""
        try:
            result: dict[str, Any] = self.request("GET", f"{F}/id/{fid}")
        except ServerRejected as exc:
            if exc.detail and exc.detail.startswith(_NOT_FOUND):
                return None
            raise
        return result

    def create_function(self, form: Mapping[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.request("POST", f"{F}/create", json=dict(form))
        return result

    def update_function(self, fid: str, form: Mapping[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.request("POST", f"{F}/id/{fid}/update", json=dict(form))
        return result

    def delete_function(self, fid: str) -> bool:
        return bool(self.request("DELETE", f"{F}/id/{fid}/delete"))

    def toggle(self, fid: str) -> dict[str, Any]:
        """Flip ``is_active`` (not idempotent: read the state first)."""
        result: dict[str, Any] = self.request("POST", f"{F}/id/{fid}/toggle")
        return result

    def toggle_global(self, fid: str) -> dict[str, Any]:
        """Flip ``is_global`` (not idempotent: read the state first)."""
        result: dict[str, Any] = self.request("POST", f"{F}/id/{fid}/toggle/global")
        return result

    def valves(self, fid: str) -> dict[str, Any]:
        """The stored admin valves (only the keys that were set)."""
        return dict(self.request("GET", f"{F}/id/{fid}/valves") or {})

    def valves_spec(self, fid: str) -> dict[str, Any] | None:
        """The function's ``Valves`` JSON schema; loads the module on the server."""
        result: dict[str, Any] | None = self.request("GET", f"{F}/id/{fid}/valves/spec")
        return result

    def update_valves(self, fid: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """Replace the stored valves with ``values`` (the server does not merge)."""
        return dict(self.request("POST", f"{F}/id/{fid}/valves/update", json=dict(values)) or {})

    def user_valves(self, fid: str) -> dict[str, Any]:
        """The signed-in user's stored ``UserValves`` values for ``fid``."""
        return dict(self.request("GET", f"{F}/id/{fid}/valves/user") or {})

    def update_user_valves(self, fid: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """Replace the signed-in user's stored ``UserValves`` (the function must be active)."""
        return dict(self.request("POST", f"{F}/id/{fid}/valves/user/update",
                                 json=dict(values)) or {})

    def export(self, *, include_valves: bool = True) -> list[dict[str, Any]]:
        """Every function in the export/import format (with valves by default)."""
        result: list[dict[str, Any]] = self.request(
            "GET", f"{F}/export", params={"include_valves": str(include_valves).lower()})
        return result

    # --- models and chats -------------------------------------------------------------

    def models(self, *, refresh: bool = True) -> list[dict[str, Any]]:
        """``GET /api/models``: every model the chat UI sees, each with its ``actions``."""
        body = self.request("GET", "/api/models", params={"refresh": str(refresh).lower()})
        return list(body.get("data", [])) if isinstance(body, dict) else []

    def model(self, model_id: str) -> dict[str, Any] | None:
        """The workspace model row (``meta.actionIds`` lives here), or ``None`` if none."""
        try:
            result: dict[str, Any] = self.request("GET", "/api/v1/models/model",
                                                  params={"id": model_id})
        except ServerRejected as exc:
            if exc.status == 404:
                return None
            raise
        return result

    def create_model(self, form: Mapping[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.request("POST", "/api/v1/models/create", json=dict(form))
        return result

    def update_model(self, form: Mapping[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.request("POST", "/api/v1/models/model/update",
                                              json=dict(form))
        return result

    def create_chat(self, chat: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /api/v1/chats/new``: a saved chat owned by the token's user (id from the
        server)."""
        result: dict[str, Any] = self.request("POST", "/api/v1/chats/new",
                                              json={"chat": dict(chat)})
        return result

    def update_chat(self, chat_id: str, chat: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /api/v1/chats/{id}``: what a tab sends to save its copy of the chat."""
        result: dict[str, Any] = self.request("POST", f"/api/v1/chats/{chat_id}",
                                              json={"chat": dict(chat)})
        return result

    def chat(self, chat_id: str) -> dict[str, Any] | None:
        try:
            result: dict[str, Any] = self.request("GET", f"/api/v1/chats/{chat_id}")
        except ServerRejected as exc:
            if exc.status in (401, 404) and exc.detail and exc.detail.startswith(_NOT_FOUND):
                return None
            raise
        return result


def _body(resp: httpx.Response) -> Any:
    try:
        return resp.json()
    except ValueError:
        return resp.text


def _detail(resp: httpx.Response) -> str:
    body = _body(resp)
    if isinstance(body, dict) and "detail" in body:
        detail = body["detail"]
        return detail if isinstance(detail, str) else str(detail)
    return str(body)[:500]


def _translate(resp: httpx.Response, method: str, path: str) -> ServerRejected:
    detail = _detail(resp)
    url = str(resp.request.url) if resp.request is not None else path
    where = f"{method} {path} -> {resp.status_code}"
    kw: dict[str, Any] = {"method": method, "url": url, "status": resp.status_code,
                          "detail": detail}
    if detail.startswith(_PROHIBITED) or resp.status_code == 403:
        return NotAdminError(f"owa-kit: the server refused {method} {path}: the token's user is "
                             f"not an admin ({detail}); use an admin's token", **kw)
    if resp.status_code == 401 and not detail.startswith(_NOT_FOUND):
        return AuthError(f"owa-kit: the server refused the token ({where}: {detail}); "
                         f"{_AUTH_FIX}", **kw)
    return ServerRejected(f"owa-kit: {where}: {detail}", **kw)
