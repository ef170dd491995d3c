"""Command-line tools: ``flask --app wsgi seed-demo``, ``rq-worker``."""

from __future__ import annotations

import click
from flask import Flask, current_app

from fantasize.extensions import db


@click.command("seed-demo")
def seed_demo() -> None:
    """Load the demo catalogue (running it again changes nothing)."""
    from fantasize.ops.demo_data import seed_demo_catalog

    added = seed_demo_catalog()
    db.session.commit()
    click.echo(f"Demo data ready ({added} products added).")


@click.command("rq-worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
def rq_worker(burst: bool) -> None:
    """Run an RQ worker whose jobs execute inside this app's context."""
    from rq import Worker

    from fantasize.connections import redis_connection
    from fantasize.jobs import QUEUE_NAME

    connection = redis_connection()
    if connection is None:
        raise click.ClickException("REDIS_URL is not set: jobs run inline, no worker is needed.")
    with current_app.app_context():
        Worker([QUEUE_NAME], connection=connection).work(burst=burst)


def init_cli(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(rq_worker)
