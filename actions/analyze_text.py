"""
title: Analyze Text
author: owa-kit
version: 1.0.0
required_open_webui_version: 0.12.4
description: Sentiment, keywords or a short summary of a reply, computed locally after you confirm.
"""

import re
from collections import Counter

from pydantic import BaseModel, Field

KINDS = {"sentiment": "Sentiment", "keywords": "Keywords", "summary": "Summary"}
POSITIVE = {"good", "great", "excellent", "helpful", "happy", "love", "like", "best", "better",
    "easy", "clear", "useful", "success", "successful", "benefit", "benefits", "improve",
    "improved", "nice", "positive", "recommend", "reliable", "fast", "glad", "wonderful",
    "effective", "enjoy"}
NEGATIVE = {"bad", "poor", "terrible", "awful", "hard", "difficult", "problem", "problems",
    "fail", "failed", "failure", "error", "errors", "wrong", "worse", "worst", "slow", "risk",
    "risky", "negative", "unfortunately", "broken", "hate", "sad", "confusing", "bug", "bugs"}
NEGATIONS = {"not", "no", "never", "isn't", "aren't", "don't", "doesn't", "won't", "can't"}
STOPWORDS = {"a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him",
    "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more",
    "most", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other",
    "our", "ours", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than",
    "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those",
    "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when",
    "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your",
    "yours", "use", "used", "using", "one", "two", "get"}
WORD = re.compile(r"[a-z][a-z'\u2019-]*")


def sentiment(text: str) -> str:
    words = WORD.findall(text.lower())
    pos, neg = [], []
    for i, w in enumerate(words):
        flipped = i > 0 and words[i - 1] in NEGATIONS  # "not good" counts as negative
        if w in POSITIVE:
            (neg if flipped else pos).append(w)
        elif w in NEGATIVE:
            (pos if flipped else neg).append(w)
    score = (len(pos) - len(neg)) / max(1, len(pos) + len(neg))
    label = "positive" if score > 0.2 else "negative" if score < -0.2 else "neutral"
    return f"{label} (score {score:+.2f}; positive words: {len(pos)}, negative words: {len(neg)})"


def keywords(text: str, count: int) -> str:
    words = [w for w in WORD.findall(text.lower()) if len(w) > 2 and w not in STOPWORDS]
    top = Counter(words).most_common(count)  # ties keep first-seen order
    return ", ".join(f"{w} ({n})" for w, n in top) or "none found"


def summary(text: str, count: int) -> str:
    prose = re.sub(r"```.*?(?:```|$)", " ", text, flags=re.DOTALL)
    prose = re.sub(r"^\s*#.*$", "", prose, flags=re.MULTILINE)  # headings are not sentences
    prose = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", prose, flags=re.MULTILINE)
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n{2,}", prose) if s.strip()]
    return " ".join(sentences[:count]) or "nothing to summarise"


class Action:
    class Valves(BaseModel):
        priority: int = Field(default=0, description="Button order (lower is further left)")
        top_keywords: int = Field(default=5, ge=1, le=20, description="Keywords listed")
        summary_sentences: int = Field(default=2, ge=1, le=10,
                                       description="Sentences in the summary")

    def __init__(self):
        self.valves = self.Valves()

    async def action(self, body: dict, __user__=None, __event_emitter__=None,
                     __event_call__=None):
        async def status(description: str, done: bool) -> None:
            await __event_emitter__(
                {"type": "status", "data": {"description": description, "done": done}})

        async def cancelled(answer) -> None:
            # False is Cancel; a dict is {"error": ...} after a timeout or a closed tab
            # (truthy! so `if not answer:` would carry on with an error as the answer)
            if isinstance(answer, dict):
                await status(f"Cancelled: {answer.get('error', 'no answer')}", True)
            else:
                await status("Cancelled", True)

        text = body["messages"][-1]["content"]
        if not text.strip():
            await __event_emitter__({"type": "notification", "data": {
                "type": "warning", "content": "This message is empty: nothing to analyse."}})
            await status("Nothing to analyse", True)
            return None

        # Step 1: yes/no. The type is "confirmation": Open WebUI never answers "confirm".
        ok = await __event_call__({"type": "confirmation", "data": {
            "title": "Analyze text",
            "message": "This analyses the message on the server (no data leaves it) and "
                       "appends the result to the message. Continue?"}})
        # Not `ok is not True`: after any earlier input dialog in the same tab (this action's
        # own select on a previous click included), Confirm returns that dialog's `value`
        # string instead of True (Open WebUI 0.12.4 keeps it; owa-kit finding OWA307).
        if ok is False or isinstance(ok, dict):
            await cancelled(ok)
            return None

        # Step 2: a dropdown is an `input` of type "select" (there is no "select" call type)
        kind = await __event_call__({"type": "input", "data": {
            "type": "select", "title": "Analyze text", "message": "Which analysis?",
            "options": [{"label": "Sentiment analysis", "value": "sentiment"},
                        {"label": "Keyword extraction", "value": "keywords"},
                        {"label": "Summary", "value": "summary"}],
            "value": "sentiment"}})
        if not isinstance(kind, str) or kind not in KINDS:
            await cancelled(kind)
            return None

        # Step 3: compute (locally and deterministically) and append
        await status(f"Analysing ({kind})...", False)
        base = re.split(r"\n\n---\n\*\*Analysis: ", text)[0].rstrip()  # drop earlier results
        if kind == "sentiment":
            result = sentiment(base)
        elif kind == "keywords":
            result = keywords(base, self.valves.top_keywords)
        else:
            result = summary(base, self.valves.summary_sentences)
        await status(f"Analysis added: {kind}", True)
        new = f"{base}\n\n---\n**Analysis: {KINDS[kind]}**\n\n{result}"
        return {"messages": [{"id": body["id"], "content": new}]}
