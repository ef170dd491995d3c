"""gunicorn settings for the ``web`` process: ``gunicorn -c gunicorn.conf.py wsgi:app`` (the Procfile).

One worker class serves pages, the API and the ``/ws`` WebSockets together: gevent. An open
WebSocket is a few greenlets (the request's and simple-websocket's reader), not two OS threads as
under gthread, where every idle socket holds one of the worker's threads until it closes and
enough sockets leave no thread for pages. psycopg 3 (3.1.14 on), redis-py and the realtime
subscriber thread yield to other greenlets once gevent has patched the standard library, which
the gevent worker does in each worker process before it loads the app. Measured with
``bench/realtime_bench.py`` (see the README's Benchmarks section).

Environment (gunicorn's own ``GUNICORN_CMD_ARGS`` still overrides anything here):

- ``WEB_CONCURRENCY`` (2): worker processes; about one per core, the app is CPU-bound Python.
- ``GUNICORN_WORKER_CONNECTIONS`` (1000): open connections per worker, WebSockets included;
  the connection after that waits in the listen backlog until one closes.
- ``GUNICORN_WORKER_CLASS`` (gevent): ``gthread`` is the fallback without gevent; then
  ``GUNICORN_THREADS`` (64) bounds open connections, sockets included, per worker.
- ``PORT`` (5000): the port on every interface.

Keep imports out of this file: it is read by the master before the workers patch the
standard library.
"""

import os

bind = [f"0.0.0.0:{os.environ.get('PORT') or 5000}"]
workers = int(os.environ.get("WEB_CONCURRENCY") or 2)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or "gevent"
# gevent: greenlets per worker, one per open connection (a page request, a keep-alive connection
# waiting for its next request, or a WebSocket for as long as it is open).
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS") or 1000)
# gthread only: each open WebSocket holds one of these threads until it closes.
threads = int(os.environ.get("GUNICORN_THREADS") or 64)

# A worker that does not check in with the master for this long is killed and replaced. Under
# gevent it checks in from its own greenlet, so open WebSockets never count; a request that
# holds the CPU (never waits on I/O) this long does.
timeout = 30
# On SIGTERM (a deploy): stop accepting, let requests finish, then cut what is left (open
# WebSockets; their clients reconnect with `resume` and receive what they missed).
graceful_timeout = 20
# Seconds an idle keep-alive HTTP connection is kept open for its next request (a greenlet each).
keepalive = 5
# Never recycle workers on a request count: it would cut every WebSocket of the worker.
max_requests = 0

# The access log, with password-reset tokens blanked out of request lines and referrers.
accesslog = "-"
logger_class = "fantasize.ops.redaction.RedactingLogger"

# No runtime control socket (gunicornc): one fixed path per user would be shared by every gunicorn
# on the machine (several web processes, tests), and nothing here uses it.
control_socket_disable = True
