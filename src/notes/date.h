#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/// A calendar date as a day number: days since 1970-01-01 (proleptic Gregorian).
typedef int32_t KithDay;

/// A day after every real date (for "no limit").
#define KITH_DAY_NEVER INT32_MAX

/// True when `s` (borrowed, `len` bytes) is date-shaped: exactly `DDDD-DD-DD`.
bool kith_date_is_shaped(const char *s, size_t len);

/// Parses a date-shaped `YYYY-MM-DD` into `*day`. Returns 0, or -1 when it is no real date
/// (`2026-02-30`, `2026-13-01`) or not date-shaped.
int kith_date_parse(const char *s, size_t len, KithDay *day);

/// Writes `YYYY-MM-DD` and a NUL into `out` (11 bytes, caller owns).
void kith_date_format(KithDay day, char out[11]);

/// The local date today.
KithDay kith_date_today(void);

/// The day number of year `y`, month `m` (1-12), day `d` (1-31; not checked).
KithDay kith_date_from_civil(int y, int m, int d);

/// The year, month (1-12) and day (1-31) of `day` (caller owns the three outputs).
void kith_date_to_civil(KithDay day, int *y, int *m, int *d);

/// The day of the week of `day`: 0 Monday .. 6 Sunday (ISO 8601).
int kith_date_weekday(KithDay day);

/// (v3) A birthday: year * 10000 + month * 100 + day, the year 0 when it is not known
/// (`--04-12`); 0 for none.
typedef int32_t KithBirthday;

/// Parses a birthday (SPEC §1 v3): `YYYY-MM-DD` (a real date), `MM-DD` or `--MM-DD` (a day
/// that some year has: `02-29` is one). Returns 0 and sets `*birthday`, or -1.
int kith_birthday_parse(const char *s, size_t len, KithBirthday *birthday);

/// The next birthday from `today` on (today itself when it is the day; 29 February falls on
/// 28 February in other years) into `*next`, and the age it brings into `*age` (-1 without a
/// year).
void kith_birthday_next(KithBirthday birthday, KithDay today, KithDay *next, int *age);

/// Writes the birthday as SPEC §2 gives it, `1990-04-12` or `--04-12`, and a NUL into `out`
/// (11 bytes, caller owns).
void kith_birthday_format(KithBirthday birthday, char out[11]);
