"""``open_webui.models.users`` as of 0.12.4: ``UserModel``, ``UserSettings`` and ``Users``.

Facts from ``models/users.py`` (0.12.4): ``UserModel`` needs ``id``, ``email``, ``name`` and
the three epoch timestamps; a missing ``profile_image_url`` becomes
``/api/v1/users/{id}/profile/image`` (``users.py:220-225``); ``variables`` is left out of
dumps; extra keys (such as ``valves`` of an injected ``__user__``) are ignored. Every
``Users`` method is ``async`` since 0.9.0: an un-awaited call hands back a coroutine, and
``user.role`` on it raises ``AttributeError`` as it does on the server.
"""

from __future__ import annotations

import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ._backend import current

__all__ = ["UserModel", "UserSettings", "Users", "UsersTable"]


class UserSettings(BaseModel):
    ui: dict[str, Any] | None = {}
    model_config = ConfigDict(extra="allow")


class UserModel(BaseModel):
    """A user row as 0.12.4 returns it (field order matters: it is ``__user__``'s key order)."""

    id: str
    email: str
    username: str | None = None
    role: str = "pending"
    name: str
    profile_image_url: str | None = None
    profile_banner_image_url: str | None = None
    bio: str | None = None
    gender: str | None = None
    date_of_birth: datetime.date | None = None
    timezone: str | None = None
    presence_state: str | None = None
    status_emoji: str | None = None
    status_message: str | None = None
    status_expires_at: int | None = None
    info: dict[str, Any] | None = None
    variables: dict[str, Any] = Field(default_factory=dict, exclude=True)
    settings: UserSettings | None = None
    oauth: dict[str, Any] | None = None
    scim: dict[str, Any] | None = None
    last_active_at: int
    updated_at: int
    created_at: int

    model_config = ConfigDict(from_attributes=True)

    @model_validator(mode="after")
    def _default_profile_image(self) -> UserModel:
        if not self.profile_image_url:
            self.profile_image_url = f"/api/v1/users/{self.id}/profile/image"
        return self

    @field_validator("variables", mode="before")
    @classmethod
    def _variables_dict(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else {}


def _model(row: dict[str, Any] | None) -> UserModel | None:
    return UserModel.model_validate(row) if row is not None else None


class UsersTable:
    """The ``Users`` singleton over the run's users (the clicking user, unless added)."""

    async def get_user_by_id(self, id: str, db: Any = None) -> UserModel | None:
        return _model(current().users.get(id))

    async def get_user_by_email(self, email: str, db: Any = None) -> UserModel | None:
        found = [r for r in current().users.values()
                 if str(r.get("email", "")).lower() == email.lower()]
        return _model(found[0]) if found else None

    async def get_users(self, filter: dict[str, Any] | None = None,
                        sort: dict[str, Any] | None = None, skip: int | None = None,
                        limit: int | None = None, db: Any = None) -> dict[str, Any]:
        """``{"users": [...], "total": n}``; supports the ``query``, ``user_ids`` and
        ``roles`` filters and sorting by a column, like 0.12.4."""
        rows = list(current().users.values())
        filter = filter or {}
        if filter.get("query"):
            q = str(filter["query"]).lower()
            rows = [r for r in rows if q in str(r.get("name", "")).lower()
                    or q in str(r.get("email", "")).lower()]
        if isinstance(filter.get("user_ids"), list):
            rows = [r for r in rows if r["id"] in filter["user_ids"]]
        roles = filter.get("roles") or []
        keep = [r for r in roles if not r.startswith("!")]
        drop = [r[1:] for r in roles if r.startswith("!")]
        rows = [r for r in rows if (not keep or r.get("role") in keep)
                and r.get("role") not in drop]
        order = (sort or {}).get("order_by")
        if order in ("name", "email", "created_at", "last_active_at", "updated_at", "role"):
            rows.sort(key=lambda r: r.get(order) or "",
                      reverse=(sort or {}).get("direction") != "asc")
        elif not filter:
            rows.sort(key=lambda r: r.get("created_at") or 0, reverse=True)
        total = len(rows)
        rows = rows[skip or 0:]
        if limit is not None:
            rows = rows[:limit]
        return {"users": [UserModel.model_validate(r) for r in rows], "total": total}

    async def get_users_by_user_ids(self, user_ids: list[str], db: Any = None) -> list[UserModel]:
        users = current().users
        return [UserModel.model_validate(users[i]) for i in user_ids if i in users]

    async def get_num_users(self, db: Any = None) -> int | None:
        return len(current().users)

    async def has_users(self, db: Any = None) -> bool:
        return bool(current().users)

    async def get_first_user(self, db: Any = None) -> UserModel | None:
        rows = sorted(current().users.values(),
                      key=lambda r: (r.get("created_at") or 0, r.get("role") != "admin", r["id"]))
        return _model(rows[0]) if rows else None

    async def update_user_by_id(self, id: str, updated: dict[str, Any],
                                db: Any = None) -> UserModel | None:
        row = current().users.get(id)
        if row is None:
            return None
        row.update(updated)
        return _model(row)

    async def update_user_settings_by_id(self, id: str, updated: dict[str, Any],
                                         db: Any = None) -> UserModel | None:
        """Merge ``updated`` into the settings; ``ui`` keys are patched one by one and a
        ``None`` value removes the key (0.12.4 behaviour)."""
        row = current().users.get(id)
        if row is None:
            return None
        settings = dict(row.get("settings") or {})
        updated = dict(updated)
        ui = updated.pop("ui", None)
        settings.update(updated)
        if ui is not None:
            merged = dict(settings.get("ui") or {})
            for key, value in ui.items():
                if value is None:
                    merged.pop(key, None)
                else:
                    merged[key] = value
            settings["ui"] = merged
        row["settings"] = settings
        return _model(row)


Users = UsersTable()
