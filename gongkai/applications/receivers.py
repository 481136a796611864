"""The one place this app listens: a changed calendar recomputes open deadlines (CAL-2)."""

from django.dispatch import receiver

from gongkai.workdays.signals import calendar_changed


@receiver(calendar_changed)
def recompute_deadlines(sender, years, **kwargs):
    from gongkai.applications.services import recompute_open_deadlines

    recompute_open_deadlines(years=years)
