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
