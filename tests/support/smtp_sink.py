"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import email
import socket
from email.message import Message

from aiosmtpd.controller import Controller


class _Collector:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    def __init__(self) -> None:
        self._collector = _Collector()
        self.port = _free_port()
        self._controller = Controller(self._collector, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[Message]:
        return self._collector.messages

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()
