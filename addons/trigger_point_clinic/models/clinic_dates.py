"""The clinic's date and time rules, in one place: plausible dates, periods, session lengths,
and the clinic's local day."""

from datetime import date, datetime, time, timedelta

import pytz

from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date, format_datetime

# How the patient's pages, mails and messages write a date or a time (babel patterns), in the
# patient's language: "Thursday 3 December 2026, 10:00" / "jeudi 3 décembre 2026, 10:00".
WHEN_FORMATS = {
    "datetime": "EEEE d MMMM y, HH:mm",
    "day_time": "EEEE d MMMM, HH:mm",
    "short_day_time": "EEE d MMM, HH:mm",
    "long_day": "EEEE d MMMM y",
    "day": "EEEE d MMMM",
    "short_day": "EEE d MMM",
    "date": "d MMMM y",
    "short_date": "d MMM",
    "time": "HH:mm",
}

# Dates outside these bounds are typing mistakes (0001-01-01, 9999-12-31), and date arithmetic
# near the ends of the calendar fails: they are refused with the field's name.
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2199, 12, 31)
# A billing run or a report covers at most this many days.
MAX_PERIOD_DAYS = 3 * 366


def check_date(env, label, value):
    """Refuse a date outside FIRST_DATE to LAST_DATE, naming the field."""
    if value and not FIRST_DATE <= value <= LAST_DATE:
        raise ValidationError(
            env._(
                "%(field)s is %(date)s: enter a date between %(first)s and %(last)s.",
                field=label,
                date=value,
                first=FIRST_DATE,
                last=LAST_DATE,
            )
        )


def check_session_length(env, label, hours):
    """A session lasts more than zero and at most 12 hours (a working day)."""
    if not 0 < hours <= 12:
        raise ValidationError(
            env._(
                "%(what)s is %(hours)s hours: give the session's length, more than zero and at "
                "most 12 hours.",
                what=label,
                hours=hours,
            )
        )


def check_period(env, date_from, date_to):
    """A reporting or billing period: plausible dates, ends on or after the day it starts, and
    spans at most MAX_PERIOD_DAYS."""
    check_date(env, env._("From"), date_from)
    check_date(env, env._("To"), date_to)
    if date_to < date_from:
        raise ValidationError(
            env._(
                "The period ends on %(stop)s, before it starts on %(start)s: set To on or after "
                "From.",
                start=date_from,
                stop=date_to,
            )
        )
    if (date_to - date_from).days >= MAX_PERIOD_DAYS:
        raise ValidationError(
            env._(
                "The period from %(start)s to %(stop)s is longer than %(days)s days: choose a "
                "shorter period.",
                start=date_from,
                stop=date_to,
                days=MAX_PERIOD_DAYS,
            )
        )


def utc_bounds(tz, date_from, date_to):
    """Naive UTC datetimes of the start of ``date_from`` and the end of ``date_to``, local."""

    def utc(day):
        local = tz.localize(datetime.combine(day, time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    return utc(date_from), utc(date_to + timedelta(days=1))


def local_datetime(tz, when):
    """The naive UTC datetime ``when`` as an aware datetime of the clinic's timezone ``tz``."""
    return pytz.utc.localize(when).astimezone(tz)


def format_when(env, when, kind, tz, lang):
    """``when`` as the patient reads it, the one place the patient's side formats dates: in
    the language ``lang`` (``partner.lang``) and, for a moment, the clinic's timezone ``tz``.
    ``when`` is a naive UTC datetime (as stored), an aware datetime, or a day (a date);
    ``kind`` is a key of WHEN_FORMATS."""
    if not when:
        return ""
    pattern = WHEN_FORMATS[kind]
    if isinstance(when, datetime):
        if when.tzinfo:
            when = when.astimezone(pytz.utc).replace(tzinfo=None)
        return format_datetime(env, when, tz=tz.zone, dt_format=pattern, lang_code=lang)
    return format_date(env, when, lang_code=lang, date_format=pattern)
