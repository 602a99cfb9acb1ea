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
