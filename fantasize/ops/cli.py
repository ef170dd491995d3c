"""Command-line tools: ``flask --app wsgi seed-demo``, ``create-user``, ``rq-worker``, ``rq-cron``."""

from __future__ import annotations

import click
from flask import Flask, current_app

from fantasize.extensions import db


@click.command("seed-demo")
@click.option(
    "--products",
    "target",
    type=click.IntRange(min=0),
    default=None,
    help="Then bulk-add synthetic products until there are at least this many (for benchmarks).",
)
def seed_demo(target: int | None) -> None:
    """Load the demo catalogue and accounts (running it again changes nothing)."""
    import time

    from fantasize.ops.demo_customization import seed_demo_customizations
    from fantasize.ops.demo_data import (
        DEMO_ACCOUNTS,
        seed_demo_accounts,
        seed_demo_catalog,
        seed_demo_reviews,
        seed_synthetic_products,
    )

    report = seed_demo_catalog()
    created = seed_demo_accounts()
    seed_demo_reviews(report)
    seed_demo_customizations()
    from fantasize.notifications.templates import seed_default_templates

    templates = seed_default_templates()
    db.session.commit()
    click.echo(f"Demo data ready ({report.products} products added, {created} accounts created).")
    click.echo(f"  added: {report.summary()}; {templates} e-mail templates")
    if target is not None:
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            click.echo(f"  synthetic products: {done:,}/{total:,} ({time.perf_counter() - started:.1f} s)")

        added = seed_synthetic_products(target, progress=progress)
        click.echo(f"Synthetic catalogue: {added:,} products added in {time.perf_counter() - started:.1f} s.")
    click.echo("Demo accounts (development only):")
    for email, password, role in DEMO_ACCOUNTS:
        click.echo(f"  {role:<9} {email:<28} {password}")


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(["customer", "manager", "admin"]), default="customer", show_default=True)
@click.option("--username", default=None)
@click.password_option(help="Prompted for (twice, hidden) when omitted.")
def create_user(email: str, role: str, username: str | None, password: str) -> None:
    """Create an account from the shell."""
    from fantasize.accounts.services import register_user
    from fantasize.errors import AppError

    try:
        user = register_user(email, password, username, role)
    except AppError as error:
        db.session.rollback()
        details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.details.items())
        raise click.ClickException(f"{error.message} {details}".strip()) from error
    db.session.commit()
    click.echo(f"Created {user.role} {user.email} ({user.id}).")


@click.command("rq-worker")
@click.option("--burst", is_flag=True, help="Stop once the queues are empty.")
def rq_worker(burst: bool) -> None:
    """Run an RQ worker on the email, push and default queues; jobs execute inside this app's context.

    Jobs run in the worker process itself rather than in a fork per job, so the database pool
    and the FCM access token are reused from one message to the next. It also runs RQ's
    scheduler, which puts jobs waiting out a retry backoff back on their queue.
    """
    from rq import SimpleWorker

    from fantasize.jobs import worker_queues

    connection = _redis_or_fail()
    with current_app.app_context():
        SimpleWorker(worker_queues(connection), connection=connection).work(burst=burst, with_scheduler=True)


@click.command("rq-cron")
def rq_cron() -> None:
    """Queue the periodic jobs (the delivery sweep, every minute); one per deployment."""
    from rq.cron import CronScheduler

    from fantasize.jobs import queue_name
    from fantasize.notifications.jobs import sweep_deliveries

    connection = _redis_or_fail()
    scheduler = CronScheduler(connection=connection)
    scheduler.register(sweep_deliveries, queue_name("default"), interval=current_app.config["DELIVERY_SWEEP_SECONDS"])
    scheduler.start()


def _redis_or_fail():
    from fantasize.connections import redis_connection

    connection = redis_connection()
    if connection is None:
        raise click.ClickException("REDIS_URL is not set: jobs run inline, no worker is needed.")
    return connection


def init_cli(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_user)
    app.cli.add_command(rq_worker)
    app.cli.add_command(rq_cron)
