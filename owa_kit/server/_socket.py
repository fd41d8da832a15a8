"""The browser tab's socket.io connection to Open WebUI 0.12.4 (reference §4).

The server sends everything under one event name, ``events``: the action's emits go to every
socket of the user (no ack wanted), its ``__event_call__``s go to the clicking tab's socket
and wait for the ack. A browser never acks a call type it does not know, so a handler here
can return :data:`NO_ACK` to leave the server waiting, exactly like the real tab.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import socketio
from socketio import packet

from ..errors import AuthError, ServerUnreachable

#: returned by a handler: send no ack at all (the server's call stays unanswered)
NO_ACK: Any = object()

#: ``handler(payload, wants_ack)``; the return value is the ack when the server wants one
Handler = Callable[[dict[str, Any], bool], Awaitable[Any]]


class _TabClient(socketio.AsyncClient):  # type: ignore[misc]
    """An ``AsyncClient`` that tells its handler whether the server awaits an ack.

    python-socketio acks every event that carries an id, even when the handler returns None;
    the tab must be able to stay silent, so the ``events`` dispatch is taken over here.
    """

    def __init__(self, handler: Handler) -> None:
        super().__init__(reconnection=False)
        self._events_handler = handler

    async def _handle_event(self, namespace: str | None, id: int | None, data: list[Any]) -> None:
        if not (data and data[0] == "events" and len(data) > 1 and isinstance(data[1], dict)):
            await super()._handle_event(namespace, id, data)
            return
        result = await self._events_handler(data[1], id is not None)
        if id is not None and result is not NO_ACK:
            await self._send_packet(self.packet_class(
                packet.ACK, namespace=namespace or "/", id=id,
                data=[] if result is None else [result]))


class TabSocket:
    """One tab's connection: ``await connect()``, then ``sid`` is the tab's ``session_id``."""

    def __init__(self, url: str, token: str, handler: Handler) -> None:
        self.url = url
        self._token = token
        self._sio = _TabClient(handler)
        self.sid: str = ""

    def on(self, event: str, handler: Callable[[Any], Awaitable[None]]) -> None:
        """Call ``handler(data)`` for the server's ``event`` messages (no ack is sent)."""
        self._sio.on(event, handler)

    async def connect(self, wait_timeout: float = 10.0) -> str:
        try:
            # websocket only: with ENABLE_WEBSOCKET_SUPPORT the server refuses polling (§4.1)
            await self._sio.connect(self.url, socketio_path="/ws/socket.io",
                                    transports=["websocket"], auth={"token": self._token},
                                    wait_timeout=wait_timeout)
        except socketio.exceptions.ConnectionError as exc:
            raise ServerUnreachable(
                f"owa-kit: cannot open the socket.io connection to {self.url}/ws/socket.io "
                f"({exc}); check that Open WebUI runs there with websocket support",
                url=self.url) from exc
        sid = self._sio.get_sid()
        if not sid:
            raise AuthError(f"owa-kit: {self.url} did not accept the socket.io connection; "
                            "check the token", method="GET", url=self.url + "/ws/socket.io")
        self.sid = str(sid)
        return self.sid

    async def barrier(self, timeout: float = 10.0) -> None:
        """Return once every event the server queued for this socket before now has arrived.

        A round trip on the same socket: the server queues the ack behind the events it
        already sent. The name matches no handler (the catch-all ignores it, and acks).
        """
        await self._sio.call("owa-kit:barrier", {}, timeout=timeout)

    async def close(self) -> None:
        """Disconnect; also after a failed connect, which leaves an HTTP session open."""
        await self._sio.disconnect()
