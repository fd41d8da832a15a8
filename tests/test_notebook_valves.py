"""The valves form generated from a pydantic model: widgets, validation, secrets."""

from __future__ import annotations

import enum
import html
from typing import Any, Literal

import ipywidgets as W
import pytest
from pydantic import BaseModel, Field, field_validator, model_validator

from owa_kit.notebook._valves import ValvesForm


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Valves(BaseModel):
    name: str = Field(default="Ada", min_length=2, description="who")
    count: int = Field(default=3, ge=1, le=10)
    ratio: float = 0.5
    enabled: bool = True
    tone: Literal["formal", "casual"] = "formal"
    color: Color = Color.BLUE
    tags: list[str] = Field(default_factory=lambda: ["a"])
    model: str = Field(default="gpt", json_schema_extra={
        "input": {"type": "select", "options": ["gpt", {"label": "Llama 3", "value": "llama"}]}})
    langs: list[str] = Field(default=["en"], json_schema_extra={
        "input": {"type": "multiselect", "options": ["en", "de", "fr"]}})
    api_key: str = Field(default="sk-default-key")
    pin: str = Field(default="", json_schema_extra={"input": {"type": "password"}})
    limit: int | None = None


def form(**values: Any) -> ValvesForm:
    return ValvesForm(Valves, values)


@pytest.mark.parametrize(("field", "widget"), [
    ("name", W.Text), ("count", W.Text), ("ratio", W.Text), ("enabled", W.Checkbox),
    ("tone", W.Dropdown), ("color", W.Dropdown), ("tags", W.Text), ("model", W.Dropdown),
    ("langs", W.SelectMultiple), ("api_key", W.Password), ("pin", W.Password),
    ("limit", W.Text),
])
def test_widget_per_field_type(field: str, widget: type) -> None:
    assert isinstance(form().fields[field].widget, widget)


def test_defaults_validate_to_the_model_values() -> None:
    f = form()
    assert f.values == {"name": "Ada", "count": 3, "ratio": 0.5, "enabled": True,
                        "tone": "formal", "color": Color.BLUE, "tags": ["a"], "model": "gpt",
                        "langs": ["en"], "api_key": "sk-default-key", "pin": "",
                        "limit": None}
    assert Valves(**f.values) == Valves()


def test_select_options_from_json_schema_extra() -> None:
    w = form().fields["model"].widget
    assert w._options_labels == ("gpt", "Llama 3")
    w.value = "llama"
    assert form(model="llama").fields["model"].widget.value == "llama"
    assert form().fields["langs"].widget._options_labels == ("en", "de", "fr")


def test_description_and_constraints_are_shown() -> None:
    label = form().fields["count"].label.value
    assert "ge=1" in label and "le=10" in label
    assert "who" in form().fields["name"].label.value


@pytest.mark.parametrize(("field", "text", "message"), [
    ("count", "11", "less than or equal to 10"),
    ("count", "0", "greater than or equal to 1"),
    ("count", "three", "'three' is not a whole number"),
    ("ratio", "x", "'x' is not a number"),
    ("name", "A", "at least 2 characters"),
    ("tags", "[oops", "not JSON"),
])
def test_validation_errors_show_next_to_the_field(field: str, text: str, message: str) -> None:
    f = form()
    f.fields[field].widget.value = text  # the observer re-validates on every edit
    assert html.escape(message) in f.fields[field].error.value
    assert message in f.errors[field]
    assert f.values is None
    f.fields[field].widget.value = {"count": "5", "ratio": "0.1", "name": "Bob",
                                    "tags": '["x"]'}[field]
    assert f.fields[field].error.value == "" and f.values is not None


def test_model_level_error_goes_to_the_summary() -> None:
    class Pair(BaseModel):
        low: int = 1
        high: int = 2

        @model_validator(mode="after")
        def ordered(self) -> Pair:
            if self.low > self.high:
                raise ValueError("low must not exceed high")
            return self

    f = ValvesForm(Pair)
    f.fields["low"].widget.value = "5"
    assert "low must not exceed high" in f.summary.value
    assert f.values is None


def test_field_validator_message_is_shown() -> None:
    class V(BaseModel):
        url: str = "https://x"

        @field_validator("url")
        @classmethod
        def https(cls, v: str) -> str:
            if not v.startswith("https://"):
                raise ValueError("use https")
            return v

    f = ValvesForm(V)
    f.fields["url"].widget.value = "http://x"
    assert "use https" in f.fields["url"].error.value


def test_secrets_never_sit_in_widget_state() -> None:
    f = form(api_key="sk-live-999")
    w = f.fields["api_key"].widget
    assert w.value == "" and "sk-live-999" not in str(w.get_state())
    assert "••••••" in w.placeholder
    w.value = "sk-new-1"  # typed by the user: read at once, then emptied
    assert f.values is not None and f.values["api_key"] == "sk-new-1"
    assert w.value == "" and "sk-new-1" not in str(f.get_state())
    assert all("sk-" not in str(x.get_state()) for x in _all_widgets(f))


def test_optional_int_empty_is_none() -> None:
    f = form()
    f.fields["limit"].widget.value = "7"
    assert f.values is not None and f.values["limit"] == 7
    f.fields["limit"].widget.value = ""
    assert f.values is not None and f.values["limit"] is None


def test_form_repr_is_constant() -> None:
    assert repr(form()) == "<owa-kit valves form>"


def _all_widgets(w: Any) -> list[Any]:
    out = [w]
    for c in getattr(w, "children", ()):
        out.extend(_all_widgets(c))
    return out
