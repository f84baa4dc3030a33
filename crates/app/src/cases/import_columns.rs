//! The columns of the case import file: every field the registration accepts
//! (`RawNewCase`), each with its Bulgarian and English header, and how a row of
//! cells becomes a registration. A header is recognised in either language, as
//! "bg / en" (the template's), or as the field's code. Coded values are taken as
//! the code or either language's label; yes/no as да/не, yes/no, 1/0 or x; dates as
//! dd.mm.yyyy or yyyy-mm-dd; lists separated by commas or semicolons.

use zakrila_domain::case::{
    ExploitationForm, IdentificationKind, LabourSector, MeansOfControl, PersonalNumberKind,
    RawIdentification, RawNewCase, RecruiterRelation, RecruitmentType, Sex, SexualExploitationType,
    Stage,
};

/// One column of the file.
#[derive(Debug, Clone, Copy)]
pub struct ImportColumn {
    /// The registration's field name.
    pub code: &'static str,
    pub bg: &'static str,
    pub en: &'static str,
}

const fn col(code: &'static str, bg: &'static str, en: &'static str) -> ImportColumn {
    ImportColumn { code, bg, en }
}

/// The organisation's own record number: required, and what a second import of the
/// same file matches on.
pub const RECORD_NUMBER: &str = "record_number";

pub const COLUMNS: &[ImportColumn] = &[
    col(
        RECORD_NUMBER,
        "Номер в организацията",
        "Organisation's record number",
    ),
    col("given_name", "Собствено име", "Given name"),
    col("family_name", "Фамилия", "Family name"),
    col("birth_date", "Дата на раждане", "Date of birth"),
    col("personal_number", "ЕГН/ЛНЧ", "Personal number"),
    col(
        "personal_number_kind",
        "Вид номер (egn/lnch)",
        "Number kind (egn/lnch)",
    ),
    col("phone", "Телефон", "Phone"),
    col("sex", "Пол", "Sex"),
    col("citizenship", "Гражданство", "Citizenship"),
    col("languages", "Езици", "Languages"),
    col("child", "Дете", "Child"),
    col("unaccompanied", "Непридружено", "Unaccompanied"),
    col("disability", "Увреждане", "Disability"),
    col("stage", "Етап", "Stage"),
    col(
        "identification_kind",
        "Вид идентификация",
        "Identification kind",
    ),
    col(
        "identification_by",
        "Идентифицирано от (организация)",
        "Identified by (organisation)",
    ),
    col(
        "identification_date",
        "Дата на идентификация",
        "Identification date",
    ),
    col("forms", "Форми на експлоатация", "Forms of exploitation"),
    col("labour_sectors", "Отрасли (трудова)", "Labour sectors"),
    col(
        "sexual_types",
        "Видове сексуална експлоатация",
        "Types of sexual exploitation",
    ),
    col(
        "means_of_control",
        "Средства за контрол",
        "Means of control",
    ),
    col("recruitment", "Набиране", "Recruitment"),
    col(
        "recruiter_relations",
        "Връзка с набиращия",
        "Relation to the recruiter",
    ),
    col(
        "countries_of_origin",
        "Държави на произход",
        "Countries of origin",
    ),
    col(
        "transit_countries",
        "Държави на транзит",
        "Transit countries",
    ),
    col(
        "exploitation_countries",
        "Държави на експлоатация",
        "Countries of exploitation",
    ),
    col(
        "duration_months",
        "Продължителност (месеци)",
        "Duration (months)",
    ),
];

/// The header the template writes: both languages.
pub fn header(c: &ImportColumn) -> String {
    format!("{} / {}", c.bg, c.en)
}

/// The column a header names, if any.
pub fn column_of(header_cell: &str) -> Option<&'static ImportColumn> {
    let h = header_cell.trim().to_lowercase();
    COLUMNS.iter().find(|c| {
        h == c.code
            || h == c.bg.to_lowercase()
            || h == c.en.to_lowercase()
            || h == header(c).to_lowercase()
    })
}

/// The column an error of the registration's `field` belongs to.
pub fn column_of_field(field: &str) -> Option<&'static ImportColumn> {
    let code = match field {
        "identification" => "identification_kind",
        "country" => "citizenship",
        other => other,
    };
    COLUMNS.iter().find(|c| c.code == code)
}

macro_rules! values {
    ($t:ty) => {
        <$t>::ALL
            .iter()
            .map(|v| (v.as_str(), v.label_bg(), v.label_en()))
            .collect()
    };
}

/// The values a coded column takes: code, Bulgarian label, English label.
pub fn values_of(code: &str) -> Option<Vec<(&'static str, &'static str, &'static str)>> {
    Some(match code {
        "personal_number_kind" => values!(PersonalNumberKind),
        "sex" => values!(Sex),
        "stage" => values!(Stage),
        "identification_kind" => values!(IdentificationKind),
        "forms" => values!(ExploitationForm),
        "labour_sectors" => values!(LabourSector),
        "sexual_types" => values!(SexualExploitationType),
        "means_of_control" => values!(MeansOfControl),
        "recruitment" => values!(RecruitmentType),
        "recruiter_relations" => values!(RecruiterRelation),
        _ => return None,
    })
}

/// A label in either language (or the code in any case) as its code; anything
/// else unchanged, for the registration to refuse with its own message.
fn coded(code: &str, s: &str) -> String {
    let Some(values) = values_of(code) else {
        return s.to_owned();
    };
    let l = s.trim().to_lowercase();
    values
        .iter()
        .find(|(c, bg, en)| *c == l || bg.to_lowercase() == l || en.to_lowercase() == l)
        .map_or_else(|| s.to_owned(), |(c, _, _)| (*c).to_owned())
}

/// A date typed as dd.mm.yyyy (or d.m.yyyy) as yyyy-mm-dd; other text unchanged.
fn iso_date(s: &str) -> String {
    let parts: Vec<&str> = s
        .trim()
        .trim_end_matches(['г', '.', ' '])
        .split('.')
        .collect();
    match parts.as_slice() {
        [d, m, y] if y.len() == 4 && d.len() <= 2 && m.len() <= 2 => {
            format!("{y}-{m:0>2}-{d:0>2}")
        }
        _ => s.trim().to_owned(),
    }
}

/// A row's problem before the registration sees it.
pub type CellError = (&'static str, &'static str);

fn yes_no(code: &'static str, s: &str) -> Result<bool, CellError> {
    match s.trim().to_lowercase().as_str() {
        "" | "не" | "no" | "0" | "false" | "н" | "n" => Ok(false),
        "да" | "yes" | "1" | "true" | "x" | "д" | "y" => Ok(true),
        _ => Err((code, "error-import-yes-no")),
    }
}

fn list(code: &str, s: &str) -> Vec<String> {
    s.split([',', ';'])
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| coded(code, v))
        .collect()
}

/// The record number and the registration a row's cells (by column code) stand for.
pub fn raw_of(cells: &[(&'static str, &str)]) -> Result<(String, RawNewCase), Vec<CellError>> {
    let mut raw = RawNewCase::default();
    let mut errs = vec![];
    let mut record = String::new();
    let mut ident = RawIdentification::default();
    let given = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    for &(code, s) in cells {
        let p = &mut raw.person;
        let e = &mut raw.exploitation;
        match code {
            RECORD_NUMBER => record = s.trim().to_owned(),
            "given_name" => p.given_name = given(s),
            "family_name" => p.family_name = given(s),
            "birth_date" => p.birth_date = given(&iso_date(s)),
            "personal_number" => p.personal_number = given(s),
            "personal_number_kind" => p.personal_number_kind = given(&coded(code, s)),
            "phone" => p.phone = given(s),
            "sex" => p.sex = given(&coded(code, s)),
            "citizenship" => p.citizenship = given(s),
            "languages" => p.languages = list(code, s),
            "child" | "unaccompanied" | "disability" => match yes_no(code, s) {
                Ok(v) if code == "child" => p.child = v,
                Ok(v) if code == "unaccompanied" => p.unaccompanied = v,
                Ok(v) => p.disability = v,
                Err(err) => errs.push(err),
            },
            "stage" => raw.stage = given(&coded(code, s)),
            "identification_kind" => ident.kind = coded(code, s).trim().to_owned(),
            "identification_by" => ident.by = s.trim().to_lowercase(),
            "identification_date" => ident.date = iso_date(s),
            "forms" => e.forms = list(code, s),
            "labour_sectors" => e.labour_sectors = list(code, s),
            "sexual_types" => e.sexual_types = list(code, s),
            "means_of_control" => e.means_of_control = list(code, s),
            "recruitment" => e.recruitment = given(&coded(code, s)),
            "recruiter_relations" => e.recruiter_relations = list(code, s),
            "countries_of_origin" => e.countries_of_origin = list(code, s),
            "transit_countries" => e.transit_countries = list(code, s),
            "exploitation_countries" => e.exploitation_countries = list(code, s),
            "duration_months" if s.trim().is_empty() => {}
            "duration_months" => match s.trim().parse::<u32>() {
                Ok(n) if n <= 1200 => e.duration_months = Some(n),
                _ => errs.push((code, "error-import-whole-number")),
            },
            _ => {}
        }
    }
    if record.is_empty() {
        errs.push((RECORD_NUMBER, "error-import-record-number-missing"));
    } else if record.chars().count() > 64 {
        errs.push((RECORD_NUMBER, "error-import-record-number-long"));
    }
    if !(ident.kind.is_empty() && ident.by.is_empty() && ident.date.is_empty()) {
        raw.identification = Some(ident);
    }
    if errs.is_empty() {
        Ok((record, raw))
    } else {
        Err(errs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_in_either_language_labels_and_local_dates_are_understood() {
        assert_eq!(column_of("Пол").unwrap().code, "sex");
        assert_eq!(column_of("date of birth").unwrap().code, "birth_date");
        assert_eq!(column_of(&header(&COLUMNS[0])).unwrap().code, RECORD_NUMBER);
        let (record, raw) = raw_of(&[
            (RECORD_NUMBER, " A-17 "),
            ("given_name", "Мария"),
            ("birth_date", "3.2.2001"),
            ("sex", "жена"),
            ("forms", "трудова експлоатация; sexual"),
            ("child", "не"),
        ])
        .unwrap();
        assert_eq!(record, "A-17");
        assert_eq!(raw.person.birth_date.as_deref(), Some("2001-02-03"));
        assert_eq!(raw.person.sex.as_deref(), Some("female"));
        assert_eq!(raw.exploitation.forms, ["labour", "sexual"]);
    }

    #[test]
    fn a_row_without_record_number_or_with_a_bad_yes_no_is_refused() {
        let errs = raw_of(&[("given_name", "Ана"), ("child", "може би")]).unwrap_err();
        assert_eq!(
            errs,
            [
                ("child", "error-import-yes-no"),
                (RECORD_NUMBER, "error-import-record-number-missing")
            ]
        );
    }
}
