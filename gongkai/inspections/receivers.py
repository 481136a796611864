"""The one place this app listens: a changed calendar moves publication deadlines (RND-8)."""

from django.dispatch import receiver

from gongkai.workdays.signals import calendar_changed


@receiver(calendar_changed)
def recompute_publication_dues(sender, years, **kwargs):
    from gongkai.inspections.services import recompute_dues

    recompute_dues(years)
