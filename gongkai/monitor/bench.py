"""`gongkai bench monitor` — crawler benchmark."""

from django.core.management.base import CommandError


def add_arguments(parser) -> None:
    """Add this benchmark's options to its `gongkai bench monitor` sub-parser."""


def run(options: dict, *, stdout, stderr) -> None:
    """Run the benchmark and print its figures; raise CommandError with a Chinese message."""
    raise CommandError("尚未实现 / not implemented yet")
