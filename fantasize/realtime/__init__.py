"""Realtime: WebSocket connections (``/ws``), rooms, and events delivered across processes."""
