"""``open_webui.models.files`` as of 0.12.4: ``FileModel``, ``FileForm`` and ``Files``.

The run starts with no files; ``insert_new_file`` adds a row (the bytes are not stored: the
0.12.4 table keeps only the ``path`` to them). Lookups of unknown ids return ``None``.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel, ConfigDict

from .._chat import _EPOCH
from ._backend import current

__all__ = ["FileForm", "FileModel", "Files", "FilesTable"]


class FileModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    user_id: str
    hash: str | None = None
    filename: str
    path: str | None = None
    data: dict[str, Any] | None = None
    meta: dict[str, Any] | None = None
    created_at: int | None
    updated_at: int | None


class FileForm(BaseModel):
    id: str
    hash: str | None = None
    filename: str
    path: str
    data: dict[str, Any] = {}
    meta: dict[str, Any] = {}


def _model(row: dict[str, Any] | None) -> FileModel | None:
    return FileModel.model_validate(copy.deepcopy(row)) if row is not None else None


class FilesTable:
    """The ``Files`` singleton over the run's file rows."""

    async def insert_new_file(self, user_id: str, form_data: FileForm,
                              db: Any = None) -> FileModel | None:
        row = {**form_data.model_dump(), "user_id": user_id, "created_at": _EPOCH,
               "updated_at": _EPOCH}
        current().files[form_data.id] = row
        return _model(row)

    async def get_file_by_id(self, id: str, db: Any = None) -> FileModel | None:
        return _model(current().files.get(id))

    async def get_file_by_id_and_user_id(self, id: str, user_id: str,
                                         db: Any = None) -> FileModel | None:
        row = current().files.get(id)
        return _model(row) if row is not None and row["user_id"] == user_id else None

    async def get_files_by_ids(self, ids: list[str], db: Any = None) -> list[FileModel]:
        files = current().files
        return [FileModel.model_validate(copy.deepcopy(files[i])) for i in ids if i in files]

    async def get_files_by_user_id(self, user_id: str, db: Any = None) -> list[FileModel]:
        return [FileModel.model_validate(copy.deepcopy(r)) for r in current().files.values()
                if r["user_id"] == user_id]

    async def get_files(self, db: Any = None) -> list[FileModel]:
        return [FileModel.model_validate(copy.deepcopy(r)) for r in current().files.values()]

    async def delete_file_by_id(self, id: str, db: Any = None) -> bool:
        return current().files.pop(id, None) is not None


Files = FilesTable()
