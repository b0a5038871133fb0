"""`jiebang user …`: account administration."""

from __future__ import annotations

import typer
from sqlmodel import Session

from jiebang.auth import service as user_service
from jiebang.auth.models import Role, UserCreate
from jiebang.core.errors import Conflict
from jiebang.db import get_engine

app = typer.Typer(help="User accounts.", no_args_is_help=True)


@app.command()
def create(
    email: str = typer.Option(..., prompt=True),
    display_name: str = typer.Option(..., "--name", prompt=True),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
    role: Role = typer.Option(Role.participant),
) -> None:
    """Create a user with the given role (e.g. --role organiser)."""
    with Session(get_engine()) as db:
        try:
            user = user_service.create(
                db=db,
                user_in=UserCreate(email=email, display_name=display_name, password=password),
                role=role,
            )
        except Conflict:
            typer.echo(f"A user with email {email} already exists.", err=True)
            raise typer.Exit(1) from None
    typer.echo(f"Created {user.role} {user.email} (id {user.id}).")
