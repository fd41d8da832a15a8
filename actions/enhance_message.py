"""
title: Enhance Message
author: owa-kit
version: 1.0.0
required_open_webui_version: 0.12.4
description: Rewrite a reply in a formal tone or simpler language, or add examples (no LLM).
"""

import re
from collections import Counter

from pydantic import BaseModel, Field

STYLES = {"formal": "formal tone", "simple": "simplified language", "examples": "examples added"}

CONTRACTIONS = {"can't": "cannot", "won't": "will not", "shan't": "shall not", "i'm": "I am",
                "let's": "let us", "it's": "it is", "that's": "that is", "there's": "there is",
                "what's": "what is"}
ENDINGS = {"n't": " not", "'re": " are", "'ve": " have", "'ll": " will", "'d": " would"}
INFORMAL = {"gonna": "going to", "wanna": "want to", "gotta": "have to", "yeah": "yes",
            "kinda": "somewhat", "lots of": "many", "a lot of": "much"}
SIMPLER = {
    "approximately": "about", "additional": "more", "assistance": "help", "commence": "start",
    "demonstrate": "show", "facilitate": "help", "in order to": "to",
    "numerous": "many", "subsequently": "later", "sufficient": "enough",
    "terminate": "end", "utilize": "use", "utilise": "use", "nevertheless": "still",
    "consequently": "so", "individuals": "people", "prior to": "before", "regarding": "about",
}
STOPWORDS = {"about", "after", "again", "also", "because", "before", "being", "below", "between",
    "both", "could", "each", "every", "first", "other", "their", "there", "these", "thing",
    "things", "those", "through", "under", "until", "using", "which", "while", "would", "where",
    "should", "still", "since", "think", "might", "never", "often"}
CODE = re.compile(r"(```.*?(?:```|$)|`[^`\n]+`)", re.DOTALL)  # fenced blocks, inline code


def _prose_only(text: str, fn) -> str:
    """Apply ``fn`` to the prose, leaving code untouched."""
    return "".join(p if p.startswith("`") else fn(p) for p in CODE.split(text))


def _replace_words(text: str, table: dict[str, str], *, suffix: bool = False) -> str:
    keys = sorted(table, key=len, reverse=True)
    word = "|".join(re.escape(k).replace("'", "['\u2019]") for k in keys)
    pattern = rf"(?<=\w)(?:{word})\b" if suffix else rf"\b(?:{word})\b"

    def repl(m: re.Match) -> str:
        old = m.group(0)
        new = table[old.lower().replace("\u2019", "'")]
        return new[0].upper() + new[1:] if old[0].isupper() and new[0].isalpha() else new

    return re.sub(pattern, repl, text, flags=re.IGNORECASE)


def _capitalise_sentences(text: str) -> str:
    text = re.sub(r"(?<![\w.'])i(?![\w.'])", "I", text)
    return re.sub(r"(^|(?<!\be\.g)(?<!\bi\.e)[.!?]\s+|\n\s*(?:[-*]\s+)?)([a-z])",
                  lambda m: m.group(1) + m.group(2).upper(), text)


def make_formal(text: str) -> str:
    def fn(p: str) -> str:
        p = _replace_words(p, CONTRACTIONS)  # can't, won't, I'm ... as whole words
        p = _replace_words(p, ENDINGS, suffix=True)  # don't, you're, we've ... as endings
        p = _replace_words(p, INFORMAL)
        return _capitalise_sentences(re.sub(r"!+(?=\s|$)", ".", p))

    return _prose_only(text, fn)


def make_simple(text: str, max_words: int) -> str:
    def split_long(sentence: str) -> str:
        if len(sentence.split()) <= max_words:
            return sentence
        parts = re.split(r"(?:;\s+|,\s+(?=(?:and|but|which|so)\b))", sentence, maxsplit=1)
        rest = re.sub(r"^(?:and|but|so)\s+", "", parts[-1])
        if len(parts) == 1 or not rest.strip():
            return sentence
        rest = re.sub(r"^which\b", "This", rest)
        return f"{parts[0].rstrip(',;')}. {split_long(rest[0].upper() + rest[1:])}"

    def fn(p: str) -> str:
        p = _replace_words(p, SIMPLER)
        return re.sub(r"[^.!?\n]+[.!?]?", lambda m: split_long(m.group(0)), p)

    return _prose_only(text, fn)


def add_examples(text: str, count: int) -> str | None:
    """Append a section showing, for the main terms of the reply, a sentence that uses them."""
    base = text.split("\n\n---\n**Examples**")[0].rstrip()  # idempotent: replace, not stack
    prose = CODE.sub(" ", base)
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", prose) if s.strip()]
    found = re.findall(r"(?<![\w'\u2019])[a-z][a-z-]{4,}(?![\w'\u2019])", prose.lower())
    words = [w for w in found if w not in STOPWORDS]
    lines = []
    # most frequent first; among equally frequent terms, longer (more specific) ones first
    for term, _ in sorted(Counter(words).items(), key=lambda kv: (-kv[1], -len(kv[0]))):
        pattern = re.compile(rf"\b{re.escape(term)}\b", re.IGNORECASE)
        use = next((s for s in sentences if pattern.search(s)), None)
        if use and all(use not in line for line in lines):
            lines.append(f"- *{term}*: \u201c{use}\u201d")
        if len(lines) == count:
            break
    if not lines:
        return None
    return base + "\n\n---\n**Examples** (key terms, as this reply uses them)\n" + "\n".join(lines)


class Action:
    class Valves(BaseModel):
        priority: int = Field(default=0, description="Button order (lower is further left)")
        max_sentence_words: int = Field(
            default=20, ge=5, description="'Simplify' splits sentences longer than this")
        examples_count: int = Field(default=3, ge=1, le=10, description="Examples to add")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict, __user__=None, __event_emitter__=None,
                     __event_call__=None):
        async def status(description: str, done: bool) -> None:
            await __event_emitter__(
                {"type": "status", "data": {"description": description, "done": done}})

        async def notify(kind: str, content: str) -> None:
            await __event_emitter__({"type": "notification",
                                     "data": {"type": kind, "content": content}})

        text = body["messages"][-1]["content"]
        if not text.strip():
            await notify("warning", "This message is empty: nothing to enhance.")
            await status("Nothing to enhance", True)
            return None

        # One button and a select dialog rather than three sub-action buttons: the toolbar
        # under every reply stays small, the choice is explained in the dialog, and a new
        # style is one more option instead of one more button. ("select" is not an event
        # call type: Open WebUI 0.12.4 would never answer it. It is an `input` sub-type.)
        choice = await __event_call__({"type": "input", "data": {
            "type": "select",
            "title": "Enhance message",
            "message": "How should this reply be rewritten?",
            "options": [{"label": "Formal tone", "value": "formal"},
                        {"label": "Simplify language", "value": "simple"},
                        {"label": "Add examples", "value": "examples"}],
            "value": "formal",
        }})
        if choice is False:  # Cancel
            await status("Cancelled", True)
            return None
        if isinstance(choice, dict):  # {"error": ...}: timeout or the tab went away
            await status(f"Cancelled: {choice.get('error', 'no answer')}", True)
            return None
        if not isinstance(choice, str) or choice not in STYLES:
            await notify("error", f"Unknown style {choice!r}.")
            await status("Cancelled", True)
            return None

        await status(f"Enhancing message ({STYLES[choice]})...", False)
        if choice == "formal":
            new = make_formal(text)
        elif choice == "simple":
            new = make_simple(text, self.valves.max_sentence_words)
        else:
            new = add_examples(text, self.valves.examples_count)
        if new is None:
            await status("No key terms found to illustrate", True)
            return None
        if new == text:
            await status(f"No changes needed ({STYLES[choice]})", True)
            return None

        await status(f"Message enhanced ({STYLES[choice]}); the original is kept", True)
        await notify("success", "Message enhanced. The previous text is kept by Open WebUI "
                                "as the message's original content.")
        # The only return shape Open WebUI applies: it rewrites the visible reply (and its
        # structured output) and stores the previous text as `originalContent`.
        return {"messages": [{"id": body["id"], "content": new}]}
