#include "notes/date.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static bool date_digit(char c) {
  return c >= '0' && c <= '9';
}

bool kith_date_is_shaped(const char *s, size_t len) {
  if (len != 10 || s[4] != '-' || s[7] != '-')
    return false;
  for (size_t i = 0; i < 10; i++) {
    if (i != 4 && i != 7 && !date_digit(s[i]))
      return false;
  }
  return true;
}

// Days from 1970-01-01 to y-m-d (Howard Hinnant's days_from_civil).
KithDay kith_date_from_civil(int y, int m, int d) {
  y -= m <= 2;
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (KithDay)(era * 146097 + doe - 719468);
}

void kith_date_to_civil(KithDay z, int *y, int *m, int *d) {
  int zz = z + 719468;
  int era = (zz >= 0 ? zz : zz - 146096) / 146097;
  int doe = zz - era * 146097;
  int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp + (mp < 10 ? 3 : -9);
  *y = yoe + era * 400 + (*m <= 2);
}

static int date_days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : days[m - 1];
}

int kith_date_parse(const char *s, size_t len, KithDay *day) {
  if (!kith_date_is_shaped(s, len))
    return -1;
  int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  int m = (s[5] - '0') * 10 + (s[6] - '0');
  int d = (s[8] - '0') * 10 + (s[9] - '0');
  if (m < 1 || m > 12 || d < 1 || d > date_days_in_month(y, m))
    return -1;
  *day = kith_date_from_civil(y, m, d);
  return 0;
}

void kith_date_format(KithDay day, char out[11]) {
  int y, m, d;
  kith_date_to_civil(day, &y, &m, &d);
  out[0] = (char)('0' + y / 1000 % 10);
  out[1] = (char)('0' + y / 100 % 10);
  out[2] = (char)('0' + y / 10 % 10);
  out[3] = (char)('0' + y % 10);
  out[4] = '-';
  out[5] = (char)('0' + m / 10);
  out[6] = (char)('0' + m % 10);
  out[7] = '-';
  out[8] = (char)('0' + d / 10);
  out[9] = (char)('0' + d % 10);
  out[10] = '\0';
}

KithDay kith_date_today(void) {
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  return kith_date_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int kith_date_weekday(KithDay day) {
  return (int)(((day % 7) + 7 + 3) % 7); // 1970-01-01 was a Thursday
}

int kith_birthday_parse(const char *s, size_t len, KithBirthday *birthday) {
  KithDay day;
  if (len == 10 && kith_date_parse(s, len, &day) == 0) {
    int y, m, d;
    kith_date_to_civil(day, &y, &m, &d);
    if (y < 1)
      return -1;
    *birthday = y * 10000 + m * 100 + d;
    return 0;
  }
  if (len == 7 && s[0] == '-' && s[1] == '-')
    s += 2, len -= 2;
  if (len != 5 || s[2] != '-' || !date_digit(s[0]) || !date_digit(s[1]) || !date_digit(s[3]) ||
      !date_digit(s[4]))
    return -1;
  int m = (s[0] - '0') * 10 + (s[1] - '0');
  int d = (s[3] - '0') * 10 + (s[4] - '0');
  if (m < 1 || m > 12 || d < 1 || d > date_days_in_month(2000, m)) // 2000: a leap year
    return -1;
  *birthday = m * 100 + d;
  return 0;
}

// The birthday's day in year `y` (29 February on the 28th in other years).
static KithDay date_birthday_in(KithBirthday birthday, int y) {
  int m = birthday / 100 % 100, d = birthday % 100;
  if (d > date_days_in_month(y, m))
    d = date_days_in_month(y, m);
  return kith_date_from_civil(y, m, d);
}

void kith_birthday_next(KithBirthday birthday, KithDay today, KithDay *next, int *age) {
  int y, m, d;
  kith_date_to_civil(today, &y, &m, &d);
  KithDay day = date_birthday_in(birthday, y);
  if (day < today)
    day = date_birthday_in(birthday, ++y);
  *next = day;
  *age = birthday / 10000 ? y - birthday / 10000 : -1;
}

void kith_birthday_format(KithBirthday birthday, char out[11]) {
  unsigned y = (unsigned)birthday / 10000 % 10000, m = (unsigned)birthday / 100 % 100,
           d = (unsigned)birthday % 100;
  char text[32];
  if (y)
    snprintf(text, sizeof text, "%04u-%02u-%02u", y, m, d);
  else
    snprintf(text, sizeof text, "--%02u-%02u", m, d);
  memcpy(out, text, 10);
  out[text[9] ? 10 : 7] = '\0';
}
