//! Dates as people read them (dd.mm.yyyy) and as forms send them (YYYY-MM-DD).

use time::Date;
use time::macros::format_description;

use crate::DomainError;

/// `01.03.2025`: the Bulgarian way, used on every page and printed report.
pub fn format_date(d: Date) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), u8::from(d.month()), d.year())
}

/// Parses an ISO `YYYY-MM-DD` date (what `<input type="date">` and the API send).
/// `field` names the input in the error, since several dates share this parser.
pub fn parse_date(s: &str, field: &'static str) -> Result<Date, DomainError> {
    Date::parse(s.trim(), format_description!("[year]-[month]-[day]"))
        .map_err(|_| DomainError::field(field, "error-date-format"))
}

/// Sofia's offset from UTC at `utc`: EET (+2), and EEST (+3) from the last Sunday
/// of March to the last Sunday of October, switching at 01:00 UTC (the EU rule).
/// Written out because the rule is fixed and no time-zone database is bundled.
pub fn sofia_offset(utc: time::OffsetDateTime) -> time::UtcOffset {
    use time::{Month, PrimitiveDateTime, Time, Weekday};
    let last_sunday_1am = |month: Month| {
        let last = time::Date::from_calendar_date(utc.year(), month, 31)
            .expect("March and October have 31 days");
        let back = last.weekday().number_days_from_sunday();
        let sunday = last - time::Duration::days(i64::from(back));
        debug_assert_eq!(sunday.weekday(), Weekday::Sunday);
        PrimitiveDateTime::new(sunday, Time::from_hms(1, 0, 0).expect("valid time")).assume_utc()
    };
    let summer = utc >= last_sunday_1am(Month::March) && utc < last_sunday_1am(Month::October);
    time::UtcOffset::from_hms(if summer { 3 } else { 2 }, 0, 0).expect("valid offset")
}

/// The calendar day in Sofia of UTC milliseconds (a day starts at midnight
/// Sofia time, not UTC).
pub fn sofia_date(ms: i64) -> Option<Date> {
    let utc = time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000).ok()?;
    Some(utc.to_offset(sofia_offset(utc)).date())
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn dates_are_shown_day_first_with_dots() {
        assert_eq!(format_date(date!(2025 - 03 - 01)), "01.03.2025");
        assert_eq!(format_date(date!(1999 - 12 - 31)), "31.12.1999");
    }

    #[test]
    fn a_day_begins_at_midnight_in_sofia() {
        // 23:30 UTC on 14 January is 01:30 on the 15th in Sofia (EET, +2);
        // 21:30 UTC on 14 July is 00:30 on the 15th (EEST, +3).
        let jan = time::macros::datetime!(2026-01-14 23:30 UTC);
        let jul = time::macros::datetime!(2026-07-14 21:30 UTC);
        let ms = |t: time::OffsetDateTime| (t.unix_timestamp_nanos() / 1_000_000) as i64;
        assert_eq!(sofia_date(ms(jan)), Some(date!(2026 - 01 - 15)));
        assert_eq!(sofia_date(ms(jul)), Some(date!(2026 - 07 - 15)));
        assert_eq!(sofia_date(ms(jul) - 3_600_000), Some(date!(2026 - 07 - 14)));
    }

    #[test]
    fn iso_dates_parse_and_others_are_refused() {
        assert_eq!(parse_date("2025-03-01", "date"), Ok(date!(2025 - 03 - 01)));
        for bad in ["01.03.2025", "2025-02-30", "2025-3-1", ""] {
            assert_eq!(
                parse_date(bad, "date"),
                Err(DomainError::field("date", "error-date-format"))
            );
        }
    }
}
