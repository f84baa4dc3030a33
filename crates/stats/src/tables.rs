//! The harmonised tables: Eurostat `crim_thb` breakdowns of registered victims (by
//! sex and age group, citizenship group, form of exploitation) and of offenders (by
//! legal status, sex and citizenship group), and the child-victims table of the
//! Programme (measure 5.1.4). Every table lists every cell of its domain, zeros
//! included, so that which cells appear reveals nothing.

use serde::{Deserialize, Serialize};
use zakrila_domain::case::{AgeBand, ExploitationForm, LegalStatus, Sex};

use crate::csv;
use crate::groups::{age_group, citizenship_group};
use crate::record::{OffenderRecord, VictimRecord};

macro_rules! table_ids {
    ($($variant:ident = $code:literal, $bg:literal, $en:literal;)+) => {
        /// The tables Zakrila publishes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum TableId { $($variant),+ }

        impl TableId {
            pub const ALL: &'static [TableId] = &[$(TableId::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(TableId::$variant => $code),+ }
            }

            pub fn parse(s: &str) -> Option<TableId> {
                match s.trim() { $($code => Some(TableId::$variant),)+ _ => None }
            }

            pub fn title(self, bg: bool) -> &'static str {
                match self { $(TableId::$variant => if bg { $bg } else { $en }),+ }
            }
        }
    };
}

table_ids! {
    VictimsSexAge = "victims_sex_age",
        "Регистрирани жертви по пол и възрастова група", "Registered victims by sex and age group";
    VictimsSexCitizenship = "victims_sex_citizenship",
        "Регистрирани жертви по пол и гражданство", "Registered victims by sex and citizenship group";
    VictimsSexForm = "victims_sex_form",
        "Регистрирани жертви по пол и форма на експлоатация", "Registered victims by sex and form of exploitation";
    Offenders = "offenders",
        "Извършители по правно положение, пол и гражданство", "Offenders by legal status, sex and citizenship group";
    Children = "children",
        "Деца – жертви по пол, възраст и придружаване", "Child victims by sex, age and whether unaccompanied";
}

impl TableId {
    /// The dimensions, in order.
    pub fn dims(self) -> &'static [&'static str] {
        match self {
            TableId::VictimsSexAge => &["sex", "age"],
            TableId::VictimsSexCitizenship => &["sex", "citizenship"],
            TableId::VictimsSexForm => &["sex", "form"],
            TableId::Offenders => &["legal_status", "sex", "citizenship"],
            TableId::Children => &["sex", "age_band", "unaccompanied"],
        }
    }

    /// The most cells one person (one offender, for `Offenders`) adds to: the L1
    /// sensitivity of the table's counts, which sets the noise of a release.
    pub fn sensitivity(self) -> u64 {
        match self {
            // A person may have been exploited in several forms, each counted.
            TableId::VictimsSexForm => ExploitationForm::ALL.len() as u64,
            _ => 1,
        }
    }
}

/// Every value a dimension takes, in display order.
pub fn domain(dim: &str) -> Vec<&'static str> {
    match dim {
        "sex" => Sex::ALL.iter().map(|s| s.as_str()).collect(),
        "age" => vec!["child", "adult", "unknown"],
        "citizenship" => vec!["national", "eu", "non_eu", "unknown"],
        "form" => ExploitationForm::ALL.iter().map(|f| f.as_str()).collect(),
        "legal_status" => LegalStatus::ALL.iter().map(|s| s.as_str()).collect(),
        "age_band" => vec![
            AgeBand::Age0To8.as_str(),
            AgeBand::Age9To17.as_str(),
            "unknown",
        ],
        "unaccompanied" => vec!["yes", "no"],
        _ => Vec::new(),
    }
}

/// One cell: its code in each dimension and its count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    pub keys: Vec<String>,
    pub count: u64,
}

/// A table with every cell of its domain; `total` is the sum of the cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub id: TableId,
    pub dims: Vec<String>,
    pub cells: Vec<Cell>,
    pub total: u64,
}

impl Table {
    fn empty(id: TableId) -> Table {
        let mut keys: Vec<Vec<String>> = vec![Vec::new()];
        for dim in id.dims() {
            keys = keys
                .into_iter()
                .flat_map(|k| {
                    domain(dim).into_iter().map(move |v| {
                        let mut k = k.clone();
                        k.push(v.to_owned());
                        k
                    })
                })
                .collect();
        }
        Table {
            id,
            dims: id.dims().iter().map(|d| (*d).to_owned()).collect(),
            cells: keys
                .into_iter()
                .map(|keys| Cell { keys, count: 0 })
                .collect(),
            total: 0,
        }
    }

    fn add(&mut self, keys: &[&str]) {
        if let Some(c) = self
            .cells
            .iter_mut()
            .find(|c| c.keys.iter().map(String::as_str).eq(keys.iter().copied()))
        {
            c.count += 1;
            self.total += 1;
        }
    }

    /// The count of the cell with these codes (0 when there is none).
    pub fn get(&self, keys: &[&str]) -> u64 {
        self.cells
            .iter()
            .find(|c| c.keys.iter().map(String::as_str).eq(keys.iter().copied()))
            .map_or(0, |c| c.count)
    }

    /// Recomputes the total from the cells (after noise or suppression).
    pub fn sum_cells(&mut self) {
        self.total = self.cells.iter().map(|c| c.count).sum();
    }
}

/// Every harmonised table of `year`.
pub fn harmonised(year: i32, victims: &[VictimRecord], offenders: &[OffenderRecord]) -> Vec<Table> {
    TableId::ALL
        .iter()
        .map(|id| table(*id, year, victims, offenders))
        .collect()
}

/// One harmonised table of `year`.
pub fn table(
    id: TableId,
    year: i32,
    victims: &[VictimRecord],
    offenders: &[OffenderRecord],
) -> Table {
    let mut t = Table::empty(id);
    let victims = victims.iter().filter(|v| v.year == year);
    match id {
        TableId::VictimsSexAge => {
            for v in victims {
                t.add(&[v.sex.as_str(), age_group(v.age_band, v.is_child)]);
            }
        }
        TableId::VictimsSexCitizenship => {
            for v in victims {
                t.add(&[v.sex.as_str(), citizenship_group(v.citizenship)]);
            }
        }
        TableId::VictimsSexForm => {
            for v in victims {
                for f in &v.forms {
                    t.add(&[v.sex.as_str(), f.as_str()]);
                }
            }
        }
        TableId::Children => {
            for v in victims.filter(|v| age_group(v.age_band, v.is_child) == "child") {
                let band = v.age_band.map_or("unknown", |b| b.as_str());
                let alone = if v.unaccompanied { "yes" } else { "no" };
                t.add(&[v.sex.as_str(), band, alone]);
            }
        }
        TableId::Offenders => {
            for o in offenders.iter().filter(|o| o.year == year) {
                t.add(&[
                    o.legal_status.as_str(),
                    o.sex.as_str(),
                    citizenship_group(o.citizenship),
                ]);
            }
        }
    }
    t
}

/// What small-cell suppression of the tables hid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CellSuppression {
    pub k: u64,
    pub cells: u64,
    pub cells_suppressed: u64,
    /// Suppressed cells per table, by table code.
    pub by_table: Vec<(String, u64)>,
}

/// The Eurostat tables as one CSV: a row per cell, the codes of its dimensions in
/// their own columns (blank where the table has no such dimension), and the value —
/// or Eurostat's flag `c` (confidential) where fewer than `k` but more than zero
/// persons are counted. No totals are written, so no suppressed cell can be
/// recovered by subtraction.
pub fn eurostat_csv(tables: &[Table], k: u64) -> (String, CellSuppression) {
    const DIMS: [&str; 7] = [
        "sex",
        "age",
        "citizenship",
        "form",
        "legal_status",
        "age_band",
        "unaccompanied",
    ];
    let mut out = String::new();
    let mut header = vec!["table"];
    header.extend(DIMS);
    header.push("value");
    csv::line(&mut out, header);
    let mut report = CellSuppression {
        k,
        ..Default::default()
    };
    for t in tables {
        let mut hidden = 0;
        for c in &t.cells {
            let mut row: Vec<String> = vec![t.id.as_str().to_owned()];
            for d in DIMS {
                row.push(
                    t.dims
                        .iter()
                        .position(|x| x == d)
                        .map_or(String::new(), |i| c.keys[i].clone()),
                );
            }
            if c.count > 0 && c.count < k {
                hidden += 1;
                row.push("c".to_owned());
            } else {
                row.push(c.count.to_string());
            }
            csv::line(&mut out, row.iter().map(String::as_str));
            report.cells += 1;
        }
        report.cells_suppressed += hidden;
        report.by_table.push((t.id.as_str().to_owned(), hidden));
    }
    (out, report)
}

#[cfg(test)]
mod tests {
    use zakrila_domain::case::Country;

    use super::*;

    fn victim(
        sex: Sex,
        band: Option<AgeBand>,
        cit: &str,
        forms: &[ExploitationForm],
    ) -> VictimRecord {
        let mut v = VictimRecord::new(2025, sex);
        v.age_band = band;
        v.is_child = band.is_some_and(|b| b.is_child());
        v.citizenship = Country::parse(cit).ok();
        v.forms = forms.to_vec();
        v
    }

    #[test]
    fn tables_count_each_victim_in_its_cell_and_list_every_cell() {
        use ExploitationForm as F;
        let vs = vec![
            victim(Sex::Female, Some(AgeBand::Age18To20), "BGR", &[F::Sexual]),
            victim(
                Sex::Female,
                Some(AgeBand::Age9To17),
                "ROU",
                &[F::Sexual, F::Labour],
            ),
            victim(Sex::Male, None, "UKR", &[F::Begging]),
            // Another year: not counted.
            VictimRecord::new(2024, Sex::Male),
        ];
        let t = table(TableId::VictimsSexAge, 2025, &vs, &[]);
        assert_eq!(t.cells.len(), 4 * 3);
        assert_eq!(t.get(&["female", "adult"]), 1);
        assert_eq!(t.get(&["female", "child"]), 1);
        assert_eq!(t.get(&["male", "unknown"]), 1);
        assert_eq!(t.total, 3);
        let t = table(TableId::VictimsSexCitizenship, 2025, &vs, &[]);
        assert_eq!(t.get(&["female", "national"]), 1);
        assert_eq!(t.get(&["female", "eu"]), 1);
        assert_eq!(t.get(&["male", "non_eu"]), 1);
        let t = table(TableId::VictimsSexForm, 2025, &vs, &[]);
        assert_eq!(t.get(&["female", "sexual"]), 2);
        assert_eq!(t.get(&["female", "labour"]), 1);
        assert_eq!(t.total, 4);
        let t = table(TableId::Children, 2025, &vs, &[]);
        assert_eq!(t.get(&["female", "9-17", "no"]), 1);
        assert_eq!(t.total, 1);
    }

    #[test]
    fn offenders_are_counted_by_legal_status() {
        let os = vec![
            OffenderRecord {
                year: 2025,
                sex: Sex::Male,
                citizenship: Some(Country::BULGARIA),
                legal_status: LegalStatus::Convicted,
            },
            OffenderRecord {
                year: 2025,
                sex: Sex::Male,
                citizenship: None,
                legal_status: LegalStatus::Suspected,
            },
        ];
        let t = table(TableId::Offenders, 2025, &[], &os);
        assert_eq!(t.get(&["convicted", "male", "national"]), 1);
        assert_eq!(t.get(&["suspected", "male", "unknown"]), 1);
        assert_eq!(t.total, 2);
    }

    #[test]
    fn the_eurostat_csv_flags_small_cells_confidential() {
        let vs: Vec<_> = (0..7)
            .map(|i| {
                let sex = if i < 5 { Sex::Female } else { Sex::Male };
                victim(sex, Some(AgeBand::Age24To26), "BGR", &[])
            })
            .collect();
        let tables = vec![table(TableId::VictimsSexAge, 2025, &vs, &[])];
        let (csv, report) = eurostat_csv(&tables, 5);
        assert!(csv.starts_with(
            "table,sex,age,citizenship,form,legal_status,age_band,unaccompanied,value\r\n"
        ));
        assert!(csv.contains("victims_sex_age,female,adult,,,,,,5\r\n"));
        assert!(csv.contains("victims_sex_age,male,adult,,,,,,c\r\n"));
        assert!(csv.contains("victims_sex_age,male,child,,,,,,0\r\n"));
        assert_eq!(report.cells_suppressed, 1);
        assert_eq!(report.cells, 12);
    }
}
