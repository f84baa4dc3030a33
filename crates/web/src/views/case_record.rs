//! The whole record of a case as a form — identity, profile, exploitation — shared
//! by the registration page and the correction page, with each field's messages
//! beside it. `case_record_fields.html` renders it; both pages name it `form`.

use std::collections::HashMap;

use zakrila_domain::{
    case::{
        Country, ExploitationForm, LabourSector, Language, MeansOfControl, PersonalNumberKind,
        RawExploitation, RawPerson, RecruiterRelation, RecruitmentType, Sex,
        SexualExploitationType,
    },
    user::Locale,
};

use crate::options;

/// Submitted values by field name (checkbox groups and multiple selects repeat keys).
pub type Values = HashMap<String, Vec<String>>;

pub struct RecordForm {
    pub v: Values,
    /// Translated messages by form field name.
    pub errors: HashMap<String, Vec<String>>,
    pub sexes: Vec<(&'static str, &'static str)>,
    pub countries: Vec<(&'static str, &'static str)>,
    pub languages: Vec<(&'static str, &'static str)>,
    pub number_kinds: Vec<(&'static str, &'static str)>,
    pub forms: Vec<(&'static str, &'static str)>,
    pub labour_sectors: Vec<(&'static str, &'static str)>,
    pub sexual_types: Vec<(&'static str, &'static str)>,
    pub means: Vec<(&'static str, &'static str)>,
    pub recruitment: Vec<(&'static str, &'static str)>,
    pub relations: Vec<(&'static str, &'static str)>,
}

impl RecordForm {
    pub fn new(lang: Locale, v: Values) -> Self {
        let mut languages: Vec<_> = Language::all()
            .map(|l| (l.code(), lang.pick(l.name_bg(), l.name_en())))
            .collect();
        languages.sort_by(|a, b| a.1.cmp(b.1));
        RecordForm {
            v,
            errors: HashMap::new(),
            sexes: options!(Sex, lang),
            countries: countries(lang),
            languages,
            number_kinds: options!(PersonalNumberKind, lang),
            forms: options!(ExploitationForm, lang),
            labour_sectors: options!(LabourSector, lang),
            sexual_types: options!(SexualExploitationType, lang),
            means: options!(MeansOfControl, lang),
            recruitment: options!(RecruitmentType, lang),
            relations: options!(RecruiterRelation, lang),
        }
    }

    /// Puts each error beside its field; returns the summary lines ("field: message").
    pub fn with_errors(&mut self, lang: Locale, errors: &[zakrila_app::FieldError]) -> Vec<String> {
        errors
            .iter()
            .map(|e| {
                let field = e.field.unwrap_or("form");
                let msg = crate::i18n::t(lang, e.key);
                // The form names the means of control `means`.
                let input = if field == "means_of_control" {
                    "means"
                } else {
                    field
                };
                self.errors
                    .entry(input.to_owned())
                    .or_default()
                    .push(msg.clone());
                format!("{}: {msg}", crate::i18n::t(lang, &format!("field-{field}")))
            })
            .collect()
    }

    pub fn val(&self, k: &str) -> String {
        self.v
            .get(k)
            .and_then(|v| v.first())
            .cloned()
            .unwrap_or_default()
    }

    pub fn has(&self, k: &str, value: &str) -> bool {
        self.v.get(k).is_some_and(|v| v.iter().any(|x| x == value))
    }

    /// The messages beside field `k`.
    pub fn err(&self, k: &str) -> Vec<String> {
        self.errors.get(k).cloned().unwrap_or_default()
    }

    /// A section opens by itself when it holds a value or a message.
    /// `fields` is comma-separated.
    pub fn open(&self, fields: &str) -> bool {
        fields.split(',').any(|f| {
            self.errors.contains_key(f)
                || self
                    .v
                    .get(f)
                    .is_some_and(|v| v.iter().any(|x| !x.trim().is_empty()))
        })
    }
}

pub fn countries(lang: Locale) -> Vec<(&'static str, &'static str)> {
    let mut v: Vec<_> = Country::all()
        .map(|c| (c.code(), lang.pick(c.name_bg(), c.name_en())))
        .collect();
    v.sort_by(|a, b| a.1.cmp(b.1));
    v
}

fn one(v: &Values, k: &str) -> Option<String> {
    v.get(k)
        .and_then(|x| x.first())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn many(v: &Values, k: &str) -> Vec<String> {
    v.get(k)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect()
}

/// The person's part of the form.
pub fn person_from(v: &Values) -> RawPerson {
    RawPerson {
        given_name: one(v, "given_name"),
        family_name: one(v, "family_name"),
        birth_date: one(v, "birth_date"),
        personal_number: one(v, "personal_number"),
        personal_number_kind: one(v, "personal_number_kind"),
        phone: one(v, "phone"),
        sex: one(v, "sex"),
        citizenship: one(v, "citizenship"),
        languages: many(v, "languages"),
        child: one(v, "child").is_some(),
        unaccompanied: one(v, "unaccompanied").is_some(),
        disability: one(v, "disability").is_some(),
    }
}

/// The exploitation part of the form. A duration that is not a whole number of
/// months is reported by `duration_error`.
pub fn exploitation_from(v: &Values) -> RawExploitation {
    RawExploitation {
        forms: many(v, "forms"),
        labour_sectors: many(v, "labour_sectors"),
        sexual_types: many(v, "sexual_types"),
        means_of_control: many(v, "means"),
        recruitment: one(v, "recruitment"),
        recruiter_relations: many(v, "recruiter_relations"),
        countries_of_origin: many(v, "countries_of_origin"),
        transit_countries: many(v, "transit_countries"),
        exploitation_countries: many(v, "exploitation_countries"),
        duration_months: one(v, "duration_months").and_then(|d| d.parse().ok()),
    }
}

/// The error of a duration typed as something other than a whole number of months.
pub fn duration_error(v: &Values) -> Option<zakrila_app::FieldError> {
    one(v, "duration_months")
        .filter(|d| d.parse::<u32>().is_err())
        .map(|_| zakrila_app::FieldError {
            field: Some("duration_months"),
            key: "error-duration-months",
        })
}

/// The form's values of a stored record (for the correction page).
pub fn values_of(p: &RawPerson, e: &RawExploitation) -> Values {
    let mut v = Values::new();
    let mut put = |k: &str, x: Option<String>| {
        if let Some(x) = x {
            v.entry(k.to_owned()).or_default().push(x);
        }
    };
    put("given_name", p.given_name.clone());
    put("family_name", p.family_name.clone());
    put("birth_date", p.birth_date.clone());
    put("personal_number", p.personal_number.clone());
    put("personal_number_kind", p.personal_number_kind.clone());
    put("phone", p.phone.clone());
    put("sex", p.sex.clone());
    put("citizenship", p.citizenship.clone());
    put("child", p.child.then(|| "1".to_owned()));
    put("unaccompanied", p.unaccompanied.then(|| "1".to_owned()));
    put("disability", p.disability.then(|| "1".to_owned()));
    put("recruitment", e.recruitment.clone());
    put("duration_months", e.duration_months.map(|d| d.to_string()));
    for (k, xs) in [
        ("languages", &p.languages),
        ("forms", &e.forms),
        ("labour_sectors", &e.labour_sectors),
        ("sexual_types", &e.sexual_types),
        ("means", &e.means_of_control),
        ("recruiter_relations", &e.recruiter_relations),
        ("countries_of_origin", &e.countries_of_origin),
        ("transit_countries", &e.transit_countries),
        ("exploitation_countries", &e.exploitation_countries),
    ] {
        for x in xs {
            put(k, Some(x.clone()));
        }
    }
    v
}
