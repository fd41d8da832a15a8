"""
title: Visualize Data
author: owa-kit
version: 1.0.0
required_open_webui_version: 0.12.4
description: Draw a bar, line or pie chart of the numbers in a reply (rendered offline as SVG).
"""

import math
import re
from html import escape

from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

NUMBER = r"-?\d+(?:,\d{3})*(?:\.\d+)?"
PAIR_LINE = re.compile(rf"^\s*(?:[-*+]\s+|\d+[.)]\s+)?\**([^:|\n]{{1,60}}?)\**\s*[:=]\s*"
                       rf"[$€£]?\s*({NUMBER})\s*(?:%|[A-Za-z/°]{{0,12}})\.?\s*$", re.MULTILINE)
COLORS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
          "#ff9da7", "#9c755f", "#bab0ac"]
W, H, PAD = 640, 360, 48


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def extract_data(text: str) -> tuple[str, list[tuple[str, float]]]:
    """(title, [(label, value)]) from a markdown table, "label: value" lines, or bare numbers."""
    rows = [r.strip() for r in text.splitlines() if r.strip().startswith("|")]
    if len(rows) >= 3 and re.fullmatch(r"\|?[\s:|-]+\|?", rows[1]):
        cells = [[c.strip().strip("*") for c in r.strip("|").split("|")] for r in rows]
        header, body = cells[0], [r for r in cells[2:] if len(r) == len(cells[0])]
        for col in range(1, len(header)):
            values = [re.search(NUMBER, r[col]) for r in body]
            if body and all(values):
                title = f"{header[col]} by {header[0]}" if header[0] else header[col]
                return title or "Values", [(r[0], _num(v.group(0)))
                                           for r, v in zip(body, values, strict=True)]
    pairs = [(m.group(1).strip(), _num(m.group(2))) for m in PAIR_LINE.finditer(text)]
    if len(pairs) >= 2:
        return "Values", pairs
    numbers = re.findall(rf"(?<![\w.]){NUMBER}(?!\w|\.\d)", text)
    if len(numbers) >= 2:
        return "Numbers in the message", [(f"#{i}", _num(n)) for i, n in enumerate(numbers, 1)]
    return "", []


def _fmt(v: float) -> str:
    return f"{v:,.2f}".rstrip("0").rstrip(".") if v != int(v) else f"{int(v):,}"


def _short(label: str) -> str:
    return escape(label if len(label) <= 14 else label[:13] + "\u2026")


def svg_chart(kind: str, title: str, data: list[tuple[str, float]]) -> str:
    parts = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" '
         f'aria-label="{escape(title)}" font-family="sans-serif" font-size="12">'),
        f'<text x="{W / 2}" y="24" text-anchor="middle" font-size="16">{escape(title)}</text>',
    ]
    if kind == "pie":
        total = sum(v for _, v in data)
        cx, cy, r, angle = W / 2 - 110, H / 2 + 14, 130, -math.pi / 2
        row = min(22.0, (H - 80) / len(data))
        for i, (label, v) in enumerate(data):
            color = COLORS[i % len(COLORS)]
            sweep = 2 * math.pi * v / total
            if sweep >= 2 * math.pi - 1e-9:
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{color}"/>')
            elif sweep > 0:
                x1, y1 = cx + r * math.cos(angle), cy + r * math.sin(angle)
                x2, y2 = cx + r * math.cos(angle + sweep), cy + r * math.sin(angle + sweep)
                large = 1 if sweep > math.pi else 0
                parts.append(f'<path d="M{cx},{cy} L{x1:.1f},{y1:.1f} A{r},{r} 0 {large} 1 '
                             f'{x2:.1f},{y2:.1f} Z" fill="{color}"/>')
            angle += sweep
            y = 70 + i * row
            parts.append(f'<rect x="{W / 2 + 60}" y="{y - 11:.1f}" width="14" height="14" '
                         f'fill="{color}"/><text x="{W / 2 + 82}" y="{y:.1f}">{escape(label)}: '
                         f'{_fmt(v)} ({100 * v / total:.1f}%)</text>')
        return "".join(parts) + "</svg>"
    lo, hi = min(0.0, *(v for _, v in data)), max(0.0, *(v for _, v in data))
    hi = hi if hi > lo else lo + 1
    step = (W - 2 * PAD) / len(data)

    def y(v: float) -> float:
        return PAD + (hi - v) / (hi - lo) * (H - 2 * PAD - 10)

    parts.append(f'<line x1="{PAD}" y1="{y(0):.1f}" x2="{W - PAD}" y2="{y(0):.1f}" '
                 'stroke="#888"/>')
    points = []
    for i, (label, v) in enumerate(data):
        x = PAD + step * (i + 0.5)
        if kind == "bar":
            top, bottom = sorted((y(v), y(0)))
            parts.append(f'<rect x="{x - step * 0.35:.1f}" y="{top:.1f}" width="{step * 0.7:.1f}"'
                         f' height="{bottom - top:.1f}" fill="{COLORS[0]}"/>')
        else:
            points.append(f"{x:.1f},{y(v):.1f}")
            parts.append(f'<circle cx="{x:.1f}" cy="{y(v):.1f}" r="4" fill="{COLORS[0]}"/>')
        parts.append(f'<text x="{x:.1f}" y="{y(v) - 6:.1f}" text-anchor="middle">{_fmt(v)}</text>'
                     f'<text x="{x:.1f}" y="{H - 14}" text-anchor="middle">{_short(label)}'
                     f'<title>{escape(label)}</title></text>')
    if points:
        parts.insert(3, f'<polyline points="{" ".join(points)}" fill="none" '
                        f'stroke="{COLORS[0]}" stroke-width="2"/>')
    return "".join(parts) + "</svg>"


def html_page(svg: str, title: str) -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}</title>'
            '<style>body{margin:0;background:#fff}svg{width:100%;max-width:640px;height:auto}'
            f'</style></head><body>{svg}</body></html>')


class Action:
    class Valves(BaseModel):
        priority: int = Field(default=0, description="Button order (lower is further left)")
        max_points: int = Field(default=20, ge=2, le=100, description="Most data points drawn")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict, __user__=None, __event_emitter__=None,
                     __event_call__=None):
        async def status(description: str, done: bool) -> None:
            await __event_emitter__(
                {"type": "status", "data": {"description": description, "done": done}})

        title, data = extract_data(body["messages"][-1]["content"])
        if not data:
            await __event_emitter__({"type": "notification", "data": {
                "type": "warning",
                "content": "No data found: add a markdown table, 'label: value' lines, or "
                           "at least two numbers."}})
            await status("No data to visualize", True)
            return None
        found, data = len(data), data[: self.valves.max_points]
        kept = "" if found == len(data) else f"; the first {len(data)} are drawn"

        options = [{"label": "Bar chart", "value": "bar"},
                   {"label": "Line chart", "value": "line"}]
        if all(v >= 0 for _, v in data) and sum(v for _, v in data) > 0:
            options.append({"label": "Pie chart", "value": "pie"})  # only for parts of a whole
        kind = await __event_call__({"type": "input", "data": {
            "type": "select", "title": "Visualize data",
            "message": f"Found {found} data points{kept}. Which chart?",
            "options": options, "value": "bar"}})
        if kind is False:
            await status("Cancelled", True)
            return None
        if isinstance(kind, dict):  # {"error": ...}: timeout or the tab went away
            await status(f"Cancelled: {kind.get('error', 'no answer')}", True)
            return None
        if kind not in [o["value"] for o in options]:
            await status("Cancelled: unknown chart type", True)
            return None

        await status(f"Drawing a {kind} chart of {len(data)} points...", False)
        html = html_page(svg_chart(kind, title, data), title)
        await status(f"{kind.capitalize()} chart of {len(data)} points", True)
        # An inline HTMLResponse is what Open WebUI turns into an embed under the message
        # (a Rich UI iframe); the message text itself stays as it is.
        return HTMLResponse(html, headers={"Content-Disposition": "inline"})
