"""Deterministic stand-ins for what Open WebUI 0.12.4 injects: ``__user__``, ``__model__``,
``__request__``."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

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
        "profile_image_url": f"/api/v1/users/{ADMIN_ID}/profile/image",
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
    """The ``app.state.MODELS`` entry of a pipe model (like the echo pipe used for tests)."""
    model: dict[str, Any] = {
        "id": model_id,
        "name": name,
        "object": "model",
        "created": _EPOCH,
        "owned_by": "openai",
        "pipe": {"type": "pipe"},
        "connection_type": "local",
        "has_user_valves": False,
        "actions": buttons,
        "filters": [],
        "tags": [],
    }
    if overrides:
        model.update(overrides)
    return model


class Request:
    """A stand-in for the starlette ``Request`` passed as ``__request__``.

    It carries ``app.state`` (``MODELS``, ``config``), ``headers``, ``base_url`` and
    ``state.user`` only; anything else raises a clear ``AttributeError``.
    """

    def __init__(self, models: dict[str, dict[str, Any]], user: dict[str, Any]) -> None:
        self.app = _Namespace("request.app", state=_Namespace("request.app.state",
                                                               MODELS=models, FUNCTIONS={},
                                                               config=_Namespace("config")))
        self.state = _Namespace("request.state", user=user)
        self.headers: dict[str, str] = {"host": "127.0.0.1:8080"}
        self.base_url = "http://127.0.0.1:8080/"
        self.url = "http://127.0.0.1:8080/api/chat/actions"
        self.cookies: dict[str, str] = {}

    def __repr__(self) -> str:
        return "<owa-kit Request stand-in>"


class _Namespace:
    def __init__(self, where: str, **values: Any) -> None:
        self.__dict__["_where"] = where
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(
            f"owa-kit: {self._where}.{name} is not emulated by the kit's __request__ stand-in; "
            "run the action live against an Open WebUI server to use it"
        )
