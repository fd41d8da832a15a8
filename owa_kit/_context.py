"""Deterministic stand-ins for what Open WebUI 0.12.4 injects: ``__user__``, ``__model__``,
``__request__``."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from ._chat import _EPOCH, DEFAULT_MODEL_ID, DEFAULT_MODEL_NAME, kit_uuid

ADMIN_ID = kit_uuid(3, 1)


def make_user(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``user.model_dump()`` of a freshly signed-up 0.12.4 admin, with ``overrides`` applied.

    ``date_of_birth`` stays a ``datetime.date`` (or None) as in Open WebUI: it is not JSON.
    """
    user: dict[str, Any] = {
        "id": ADMIN_ID,
        "email": "admin@example.com",
        "username": None,
        "role": "admin",
        "name": "Kit Admin",
        # signup's default; the /api/v1/users/{id}/profile/image form is only the fallback
        # for an empty value (B:routers/auths.py:801, B:models/users.py:220-225)
        "profile_image_url": "/user.png",
        "profile_banner_image_url": None,
        "bio": None,
        "gender": None,
        "date_of_birth": None,
        "timezone": None,
        "presence_state": None,
        "status_emoji": None,
        "status_message": None,
        "status_expires_at": None,
        "info": None,
        "settings": None,
        "oauth": None,
        "scim": None,
        "last_active_at": _EPOCH,
        "updated_at": _EPOCH,
        "created_at": _EPOCH,
    }
    if overrides:
        unknown = sorted(set(overrides) - set(user) - {"valves"})
        if unknown:
            raise ValueError(
                f"owa-kit: user has no field(s) {', '.join(unknown)}; 0.12.4 user fields are: "
                f"{', '.join(user)}"
            )
        user.update(overrides)
        dob = user.get("date_of_birth")
        if isinstance(dob, str):
            user["date_of_birth"] = datetime.date.fromisoformat(dob)
    return user


def make_model(
    buttons: list[dict[str, Any]],
    *,
    model_id: str = DEFAULT_MODEL_ID,
    name: str = DEFAULT_MODEL_NAME,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``app.state.MODELS`` entry of a pipe model (like the echo pipe used for tests):
    no ``connection_type``, ``info`` or ``tags`` (B:functions.py:126-146)."""
    model: dict[str, Any] = {
        "id": model_id,
        "name": name,
        "object": "model",
        "created": _EPOCH,
        "owned_by": "openai",
        "pipe": {"type": "pipe"},
        "has_user_valves": False,
        "actions": buttons,
        "filters": [],
    }
    if overrides:
        model.update(overrides)
    return model


BASE_URL = "http://127.0.0.1:8080/"


class Request:
    """A stand-in for the starlette ``Request`` Open WebUI 0.12.4 passes as ``__request__``.

    What is emulated (facts from the 0.12.4 backend):

    - ``app.state.MODELS``: model id -> model dict. ``__model__`` is the very same dict
      object (``__request__.app.state.MODELS[body["model"]] is __model__``), as in-process on
      the server, so mutating one mutates the other. ``generate_chat_completion`` reads it.
    - ``app.state.FUNCTIONS`` (function id -> loaded instance: the action's own) and
      ``app.state.WEBUI_NAME``. There is **no** ``app.state.config`` in 0.12.4 (settings are
      read with ``Config.get``): reading it raises ``AttributeError`` as on the server.
    - ``state.user``: the clicking user as a ``UserModel``; ``state.auth_type`` is ``"jwt"``
      (a browser click). Code may set attributes on ``state`` (``generate_chat_completion``
      sets ``bypass_filter``); reading an unset one raises ``AttributeError``.
    - ``base_url`` (``http://127.0.0.1:8080/``) and ``url`` (the action route) are strings
      with ``scheme``/``netloc``/``hostname``/``port``/``path``; ``method`` is ``"POST"``;
      ``headers`` is case-insensitive; ``cookies`` and ``query_params`` are empty.

    Each run builds its own request and app (on a server the app lives as long as the
    process). Anything else raises an ``AttributeError`` that says to run live.
    """

    def __init__(self, models: dict[str, dict[str, Any]], user: dict[str, Any],
                 functions: dict[str, Any] | None = None, action_id: str = "") -> None:
        from ._owui.users import UserModel

        state = _State("request.app.state", MODELS=models, FUNCTIONS=dict(functions or {}),
                       WEBUI_NAME="Open WebUI")
        self.app = _Namespace("request.app", state=state)
        self.state = _State("request.state", user=UserModel(**user), auth_type="jwt")
        self.base_url = URL(BASE_URL)
        self.url = URL(f"{BASE_URL}api/chat/actions/{action_id}")
        self.method = "POST"
        self.headers = Headers({"host": "127.0.0.1:8080", "content-type": "application/json",
                                "origin": BASE_URL.rstrip("/"), "accept": "*/*"})
        self.cookies: dict[str, str] = {}
        self.query_params: dict[str, str] = {}

    def __repr__(self) -> str:
        return "<owa-kit Request stand-in>"

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(
            f"owa-kit: __request__.{name} is not emulated by the kit's __request__ stand-in; "
            "run the action live against an Open WebUI server to use it")


class URL(str):
    """A URL string with the parts starlette's ``URL`` offers."""

    scheme = property(lambda self: urlsplit(self).scheme)
    netloc = property(lambda self: urlsplit(self).netloc)
    hostname = property(lambda self: urlsplit(self).hostname)
    port = property(lambda self: urlsplit(self).port)
    path = property(lambda self: urlsplit(self).path)


class Headers(dict[str, str]):
    """Request headers, looked up without regard to case (as starlette's ``Headers``)."""

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)


class _Namespace:
    def __init__(self, where: str, **values: Any) -> None:
        self.__dict__["_where"] = where
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(
            f"owa-kit: {self._where}.{name} is not emulated by the kit's __request__ stand-in; "
            "run the action live against an Open WebUI server to use it"
        )


class _State(_Namespace):
    """``app.state`` / ``request.state``: a missing attribute raises as starlette's ``State``."""

    def __getattr__(self, name: str) -> Any:
        note = (" (it does not exist in Open WebUI 0.12.4: settings are read with "
                "`Config.get`, not from app.state)" if name == "config" else "")
        raise AttributeError(f"'State' object has no attribute {name!r}{note}")
