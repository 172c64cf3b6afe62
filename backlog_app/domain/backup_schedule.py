"""When an automatic backup is due, and which automatic backups to keep.

Pure rules on datetimes (no files): the backup service lists the folder, asks these rules, and
removes what they do not keep.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def backups_to_keep(
    created: Iterable[dt.datetime], now: dt.datetime, keep_daily: int, keep_weekly: int
) -> set[dt.datetime]:
    """The backups to keep out of those made at ``created``.

    - the newest backup of each of the ``keep_daily`` most recent days that have a backup
      (days without a backup do not count, so a month away from the computer loses nothing);
    - then the newest backup of each of the ``keep_weekly`` most recent ISO weeks that hold
      none of the daily ones;
    - and every backup dated after ``now`` (a clock set wrong): what the rule cannot place in
      time it does not delete.

    The newest backup is always kept, even with ``keep_daily`` 0.
    """
    times = sorted(set(created), reverse=True)
    keep = {moment for moment in times if moment > now}
    past = [moment for moment in times if moment <= now]
    if not past:
        return keep
    keep.add(past[0])
    newest_per_day: dict[dt.date, dt.datetime] = {}
    for moment in past:  # newest first, so the first of each day is its newest
        newest_per_day.setdefault(moment.date(), moment)
    daily_days = list(newest_per_day)[: max(0, keep_daily)]
    keep.update(newest_per_day[day] for day in daily_days)
    weeks_with_daily = {_iso_week(day) for day in daily_days}
    newest_per_week: dict[tuple[int, int], dt.datetime] = {}
    for moment in past:
        week = _iso_week(moment.date())
        if week not in weeks_with_daily:
            newest_per_week.setdefault(week, moment)
    keep.update(list(newest_per_week.values())[: max(0, keep_weekly)])
    return keep


def auto_backup_due(last: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether an automatic backup should be made now: at most one per calendar day.

    A last backup dated on another day, earlier or (clock set wrong) later, makes one due, so a
    wrong clock never stops backups for good.
    """
    return last is None or last.date() != now.date()


def _iso_week(day: dt.date) -> tuple[int, int]:
    year, week, _weekday = day.isocalendar()
    return year, week
