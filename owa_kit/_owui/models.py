"""``open_webui.models.models`` as of 0.12.4: workspace model rows (``Models``).

A *workspace model* is a row that wraps a base model with a name, params and meta. The kit's
chat model is a pipe function with no such row, so ``Models.get_model_by_id`` returns
``None`` for it, exactly as 0.12.4 does for a pipe that was never edited in the workspace.
``insert_new_model`` adds a row for the rest of the run. Model controls, voice avatars and
access-grant rows are kept as plain values (not validated).
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .._chat import _EPOCH
from ._backend import current

__all__ = ["ModelForm", "ModelMeta", "ModelModel", "ModelParams", "Models", "ModelsTable"]


class ModelParams(BaseModel):
    model_config = ConfigDict(extra="allow")
    #: 0.12.4 validates each control and leaves an empty dict out of dumps; kept plain here
    model_controls: dict[str, Any] = Field(default_factory=dict)


class ModelMeta(BaseModel):
    profile_image_url: str | None = None
    background_image_url: str | None = None
    description: str | None = None
    i18n: dict[str, Any] | None = None
    capabilities: dict[str, Any] | None = None
    knowledge: list[Any] | None = None
    voice: dict[str, Any] | None = None
    voice_avatar: dict[str, Any] | None = None
    model_config = ConfigDict(extra="allow")


class ModelModel(BaseModel):
    version_id: str | None = None
    id: str
    user_id: str
    base_model_id: str | None = None
    name: str
    params: ModelParams
    meta: ModelMeta
    access_grants: list[dict[str, Any]] = Field(default_factory=list)
    is_active: bool
    updated_at: int
    created_at: int
    model_config = ConfigDict(from_attributes=True)


class ModelForm(BaseModel):
    commit_message: str | None = None
    model_config = ConfigDict(extra="ignore")
    id: str = Field(pattern=r"^\S+$")
    base_model_id: str | None = None
    name: str
    meta: ModelMeta
    params: ModelParams
    access_grants: list[dict[str, Any]] | None = None
    is_active: bool = True


def _model(row: dict[str, Any] | None) -> ModelModel | None:
    return ModelModel.model_validate(copy.deepcopy(row)) if row is not None else None


class ModelsTable:
    """The ``Models`` singleton over the run's workspace model rows (none at the start)."""

    async def insert_new_model(self, form_data: ModelForm, user_id: str,
                               db: Any = None) -> ModelModel | None:
        backend = current()
        row = {**form_data.model_dump(exclude={"access_grants", "commit_message"}),
               "user_id": user_id, "version_id": backend.new_id(6),
               "access_grants": [], "created_at": _EPOCH, "updated_at": _EPOCH}
        backend.models[form_data.id] = row
        return _model(row)

    async def get_model_by_id(self, id: str, db: Any = None) -> ModelModel | None:
        return _model(current().models.get(id))

    async def get_models_by_ids(self, ids: list[str], db: Any = None) -> list[ModelModel]:
        rows = current().models
        return [ModelModel.model_validate(copy.deepcopy(rows[i])) for i in ids if i in rows]

    async def get_all_models(self, db: Any = None) -> list[ModelModel]:
        return [ModelModel.model_validate(copy.deepcopy(r)) for r in current().models.values()]


Models = ModelsTable()
