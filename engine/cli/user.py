"""`demozone user add|list|disable|passwd`: the accounts of the web workspace (`demozone serve`).

Passwords are read from standard input, never from the command line (where `ps` and the shell
history would show them): one line when piped, or asked for without echo on a terminal.
"""

from __future__ import annotations

import sys

import click

from demozone import api
from demozone.cli.common import (
    db_option,
    emit_json,
    handles_user_errors,
    json_option,
    lang_option,
    main_group,
    store_option,
)

ROLE_CHOICES = ("assessor", "policy", "auditor", "admin")  # api.ROLES, not imported for --help


def read_password() -> str:
    """The password: asked twice without echo on a terminal, else the first line of stdin."""
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass("密码/password: ")
        if getpass.getpass("再次输入/again: ") != first:
            raise click.ClickException("两次输入的密码不一致 / the passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def said(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


@main_group.group("user")
def user_group() -> None:
    """Accounts of the web workspace: users, their roles and passwords."""


@user_group.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLE_CHOICES), help="The user's role.")
@db_option
@store_option
@json_option
@lang_option
@handles_user_errors
def user_add(
    name: str, role: str, db: str | None, store: str | None, as_json: bool, lang: str
) -> None:
    """Add user NAME with a role; the password is read from stdin."""
    added = api.add_user(name, role, read_password(), db=db, store=store)
    if as_json:
        emit_json(added)
    else:
        click.echo(
            said(
                lang,
                f"已添加用户 {added['name']}（{added['role']}）",
                f"added user {added['name']} ({added['role']})",
            )
        )


@user_group.command("list")
@db_option
@store_option
@json_option
@lang_option
@handles_user_errors
def user_list(db: str | None, store: str | None, as_json: bool, lang: str) -> None:
    """Every user with role and state."""
    users = api.list_users(db=db, store=store)
    if as_json:
        emit_json(users)
        return
    for user in users:
        state = (
            said(lang, "已停用", "disabled") if user["disabled"] else said(lang, "启用", "enabled")
        )
        click.echo(f"{user['name']}\t{user['role']}\t{state}")
    if not users:
        click.echo(
            said(
                lang,
                "没有用户（demozone user add NAME --role ROLE）",
                "no users (demozone user add NAME --role ROLE)",
            ),
            err=True,
        )


@user_group.command("disable")
@click.argument("name")
@db_option
@store_option
@json_option
@lang_option
@handles_user_errors
def user_disable(name: str, db: str | None, store: str | None, as_json: bool, lang: str) -> None:
    """Disable user NAME: no more logins, open sessions end."""
    done = api.disable_user(name, db=db, store=store)
    if as_json:
        emit_json(done)
    else:
        click.echo(said(lang, f"已停用用户 {done['name']}", f"disabled user {done['name']}"))


@user_group.command("passwd")
@click.argument("name")
@db_option
@store_option
@json_option
@lang_option
@handles_user_errors
def user_passwd(name: str, db: str | None, store: str | None, as_json: bool, lang: str) -> None:
    """Set a new password for NAME, read from stdin; open sessions end."""
    done = api.set_password(name, read_password(), db=db, store=store)
    if as_json:
        emit_json(done)
    else:
        click.echo(
            said(lang, f"已更改 {done['name']} 的密码", f"password changed for {done['name']}")
        )
