"""Command-line interface (Typer + Rich): parse, call one service, render."""
