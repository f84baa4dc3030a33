//! Hotline signals: a call, e-mail, chat, visit or anonymous web tip about possible
//! trafficking, before (and often instead of) a case. The vocabularies here are what
//! the quick-entry form offers and the API exchanges; the rules are the path a
//! signal takes (new → triaged → referred → closed with an outcome).

use crate::{DomainError, case::Country, municipality::Municipality, region::Region};

vocabulary! {
    /// How the signal reached the hotline, including the labour inspectorate's
    /// institutional lines (Programme activity 4.1.3).
    pub enum Channel in "channel" {
        Phone = "phone", "телефон", "phone";
        Email = "email", "електронна поща", "e-mail";
        WebForm = "web_form", "уеб формуляр", "web form";
        WalkIn = "walk_in", "лично посещение", "walk-in";
        Chat = "chat", "чат", "chat";
        LabourInspectorate = "labour_inspectorate",
            "ИА ГИТ – национален телефон", "Labour Inspectorate – national line";
        LabourInspectorateAbroad = "labour_inspectorate_abroad",
            "ИА ГИТ – линия за българи, работещи в чужбина",
            "Labour Inspectorate – line for Bulgarians working abroad";
    }
}

vocabulary! {
    /// Who contacted the hotline.
    pub enum CallerType in "caller_type" {
        Victim = "victim", "пострадал/а", "victim";
        Relative = "relative", "роднина или близък", "relative or friend";
        Witness = "witness", "свидетел", "witness";
        Professional = "professional", "професионалист", "professional";
        Anonymous = "anonymous", "анонимно", "anonymous";
    }
}

vocabulary! {
    /// How fast someone must act. The order is the queue's order.
    pub enum Urgency in "urgency" {
        ImmediateDanger = "immediate_danger", "непосредствена опасност", "immediate danger";
        Urgent = "urgent", "спешно", "urgent";
        Routine = "routine", "обичайно", "routine";
    }
}

vocabulary! {
    /// Where a signal is on its way.
    pub enum Status in "status" {
        New = "new", "нов", "new";
        Triaged = "triaged", "оценен", "triaged";
        Referred = "referred", "насочен", "referred";
        Closed = "closed", "приключен", "closed";
    }
}

vocabulary! {
    /// How a signal was closed.
    pub enum Outcome in "outcome" {
        InformationGiven = "information_given", "дадена информация", "information given";
        Referred = "referred", "насочен към институция", "referred";
        CaseOpened = "case_opened", "открит случай", "case opened";
        NotTrafficking = "not_trafficking", "не е трафик", "not trafficking";
        Duplicate = "duplicate", "повторен сигнал", "duplicate";
    }
}

/// Where it happened: a region of Bulgaria or a country abroad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Region(Region),
    Abroad(Country),
}

impl Location {
    /// `BG-22` (a region) or an ISO 3166-1 alpha-3 code other than BGR (abroad).
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        if let Some(r) = Region::parse(&s.to_uppercase()) {
            return Ok(Location::Region(r));
        }
        match Country::parse(&s.to_uppercase()) {
            Ok(c) if c.code() != "BGR" => Ok(Location::Abroad(c)),
            _ => Err(DomainError::field("location", "error-signal-location")),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Location::Region(r) => r.code(),
            Location::Abroad(c) => c.code(),
        }
    }

    pub fn name(self, lang: &str) -> &'static str {
        match self {
            Location::Region(r) => r.name(lang),
            Location::Abroad(c) if lang == "en" => c.name_en(),
            Location::Abroad(c) => c.name_bg(),
        }
    }
}

/// Where it happened, with the municipality when known: an unknown municipality, or
/// one outside the region given (or given with a country abroad), is refused; a
/// municipality alone places the signal in its region.
pub fn parse_place(
    location: Option<&str>,
    municipality: Option<&str>,
) -> Result<(Option<Location>, Option<Municipality>), DomainError> {
    let location = location
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(Location::parse)
        .transpose()?;
    let Some(code) = municipality.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok((location, None));
    };
    let m = Municipality::parse(code)
        .ok_or_else(|| DomainError::field("municipality", "error-signal-municipality"))?;
    match location {
        None => Ok((Some(Location::Region(m.region())), Some(m))),
        Some(Location::Region(r)) if r == m.region() => Ok((location, Some(m))),
        Some(_) => Err(DomainError::field(
            "municipality",
            "error-signal-municipality-region",
        )),
    }
}

/// The place in words: the municipality with its region, the region, or the
/// country abroad.
pub fn place_name(location: Option<&str>, municipality: Option<&str>, lang: &str) -> String {
    if let Some(m) = municipality.and_then(Municipality::parse) {
        return m.describe(lang);
    }
    location
        .and_then(|c| Location::parse(c).ok())
        .map(|l| l.name(lang).to_owned())
        .unwrap_or_default()
}

/// The longest summary or addition accepted, in characters.
pub const MAX_TEXT: usize = 4000;
/// The longest caller contact accepted, in characters.
pub const MAX_CONTACT: usize = 200;

/// What happened, in the operator's or the sender's words: not empty, not oversize.
pub fn parse_text(field: &'static str, s: &str) -> Result<String, DomainError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(DomainError::field(field, "error-signal-text-empty"));
    }
    if s.chars().count() > MAX_TEXT {
        return Err(DomainError::field(field, "error-signal-text-long"));
    }
    Ok(s.to_owned())
}

/// An optional contact (phone, e-mail, how to reach the caller safely).
pub fn parse_contact(s: &str) -> Result<Option<String>, DomainError> {
    let s = s.trim();
    if s.chars().count() > MAX_CONTACT {
        return Err(DomainError::field("contact", "error-signal-contact-long"));
    }
    Ok((!s.is_empty()).then(|| s.to_owned()))
}

/// What the operator may do next with a signal in `status`.
impl Status {
    /// Triage (confirm urgency, take it) only before it is referred or closed.
    pub fn can_triage(self) -> bool {
        matches!(self, Status::New)
    }
    /// Refer while open; a referred signal may be referred to more institutions.
    pub fn can_refer(self) -> bool {
        self != Status::Closed
    }
    pub fn can_close(self) -> bool {
        self != Status::Closed
    }
}

/// A tip's receipt code: 16 characters of an alphabet without look-alikes, shown
/// in groups of four. Normalising makes typing forgiving (case, spaces, dashes).
pub const RECEIPT_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

pub fn receipt_from_bytes(bytes: &[u8; 16]) -> String {
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| RECEIPT_ALPHABET[*b as usize % RECEIPT_ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The receipt as typed, reduced to its 16 characters; `None` when it cannot be one.
pub fn normalise_receipt(s: &str) -> Option<String> {
    let s: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect();
    (s.len() == 16 && s.bytes().all(|b| RECEIPT_ALPHABET.contains(&b))).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_is_a_region_or_a_country_abroad() {
        assert_eq!(Location::parse("bg-22").unwrap().code(), "BG-22");
        assert_eq!(Location::parse("DEU").unwrap().code(), "DEU");
        assert!(Location::parse("BGR").is_err());
        assert!(Location::parse("BG-99").is_err());
        assert!(Location::parse("").is_err());
    }

    #[test]
    fn a_municipality_must_lie_in_the_region_given() {
        let (l, m) = parse_place(Some("BG-16"), Some("PDV17")).unwrap();
        assert_eq!((l.unwrap().code(), m.unwrap().code()), ("BG-16", "PDV17"));
        let (l, _) = parse_place(None, Some("SOF46")).unwrap();
        assert_eq!(l.unwrap().code(), "BG-22");
        let key = |r: Result<_, DomainError>| r.err().map(|e| e.key).unwrap_or_default();
        assert_eq!(
            key(parse_place(Some("BG-03"), Some("PDV17"))),
            "error-signal-municipality-region"
        );
        assert_eq!(
            key(parse_place(Some("DEU"), Some("PDV17"))),
            "error-signal-municipality-region"
        );
        assert_eq!(
            key(parse_place(Some("BG-16"), Some("PDV99"))),
            "error-signal-municipality"
        );
        assert_eq!(
            place_name(Some("BG-16"), Some("PDV17"), "en"),
            "Maritsa municipality, Plovdiv region"
        );
        assert_eq!(place_name(Some("DEU"), None, "bg"), "Германия");
    }

    #[test]
    fn text_must_be_given_and_not_oversize() {
        assert!(parse_text("summary", "  ").is_err());
        assert!(parse_text("summary", &"я".repeat(MAX_TEXT + 1)).is_err());
        assert_eq!(parse_text("summary", " a ").unwrap(), "a");
        assert_eq!(parse_contact(" ").unwrap(), None);
    }

    #[test]
    fn receipts_survive_retyping() {
        let r = receipt_from_bytes(&[7; 16]);
        assert_eq!(r.len(), 19);
        let typed = r.to_lowercase().replace('-', " ");
        assert_eq!(normalise_receipt(&typed).unwrap(), r.replace('-', ""));
        assert!(normalise_receipt("short").is_none());
    }

    #[test]
    fn a_closed_signal_goes_nowhere() {
        assert!(Status::New.can_triage());
        assert!(!Status::Referred.can_triage());
        assert!(Status::Referred.can_refer());
        assert!(!Status::Closed.can_refer() && !Status::Closed.can_close());
    }
}
