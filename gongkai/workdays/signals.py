"""The one notification the calendar sends.

``calendar_changed`` is sent by ``services`` (never from ``post_save``) once per committed
change of the calendar, after the transaction commits, with:

- ``sender``: ``gongkai.workdays.models.CalendarYear``
- ``years``: ``frozenset[int]``, every calendar year holding a date whose answer
  (working day or not, known or not) may have changed. Importing year Y adds Y, and
  Y-1 when Y-1 is loaded (its last days wait for Y's 元旦 arrangement, see
  ``rules.YEAR_END``). Never empty: a change that moves no date (a new source text
  only) is audited but not signalled.

Receivers recompute the stored deadlines of open cases that touch those years.
"""

from django.dispatch import Signal

calendar_changed = Signal()
