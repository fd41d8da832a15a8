"""``owa.Server``: where a live run goes. Light on purpose: ``import owa_kit`` imports this
module, so it must not import httpx or socketio (the live machinery loads on first use)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..errors import ServerUnreachable

URL_ENV = "OWA_KIT_URL"
TOKEN_ENV = "OWA_KIT_TOKEN"


def resolve_url_token(url: str | None, token: str | None, *,
                      how: str = "--url http://HOST:PORT") -> tuple[str, str | None]:
    """The URL and token given, else ``OWA_KIT_URL``/``OWA_KIT_TOKEN``; ``how`` names the
    way to give a URL in the error when there is none."""
    url = (url or os.environ.get(URL_ENV) or "").rstrip("/")
    if not url:
        raise ServerUnreachable(f"owa-kit: no server URL; pass {how} or set {URL_ENV}", url="")
    return url, token or os.environ.get(TOKEN_ENV) or None


@dataclass(frozen=True)
class Server:
    """A real Open WebUI 0.12.4 to run actions on: its URL and an admin's token.

    >>> run = await owa.run(act, "The reply", answers=[True],
    ...                     server=owa.Server("http://127.0.0.1:8080", token))   # doctest: +SKIP

    Both default to ``OWA_KIT_URL`` / ``OWA_KIT_TOKEN``. The token never appears in a repr.
    A live run deploys a copy of the action under ``<id>__owa_kit_live`` (active, but neither
    global nor on any model, so no user sees its button); the author's own function is never
    touched.
    """

    url: str = ""
    token: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        url, token = resolve_url_token(self.url, self.token,
                                       how="owa.Server('http://HOST:PORT', token)")
        object.__setattr__(self, "url", url)
        object.__setattr__(self, "token", token)

    def __repr__(self) -> str:
        return f"Server({self.url!r}, token={'set' if self.token else 'none'})"
