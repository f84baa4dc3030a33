//! Bad input never panics an importer: random text and mutations of the real seed
//! (characters changed, lines dropped or repeated, cells split) are either imported
//! with a report or refused with an error. CI runs the default number of cases;
//! `PROPTEST_CASES=100000` runs the long form.

use proptest::prelude::*;
use zakrila_programme::{parse_csv, parse_tsv, write_csv_template};

use crate::{SEED_2025, directory, seed};

/// Text of any characters, with tabs, newlines and quotes over-represented.
fn text() -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        4 => any::<char>(),
        2 => prop::sample::select(vec!['\t', '\n', '\r', '"', '„', '“', ',', ';', ' ', '.', '-', '0', '5', '9']),
        1 => prop::sample::select(vec!['Р', 'А', 'З', 'Д', 'Е', 'Л', 'І', 'V', '\u{feff}']),
    ];
    prop::collection::vec(ch, 0..600).prop_map(String::from_iter)
}

/// An edit of a line-oriented document.
#[derive(Debug, Clone)]
enum Edit {
    Replace(usize, char),
    Drop(usize),
    Repeat(usize),
    Insert(usize, String),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        (any::<usize>(), any::<char>()).prop_map(|(i, c)| Edit::Replace(i, c)),
        any::<usize>().prop_map(Edit::Drop),
        any::<usize>().prop_map(Edit::Repeat),
        (any::<usize>(), text()).prop_map(|(i, t)| Edit::Insert(i, t)),
    ];
    prop::collection::vec(edit, 1..12)
}

fn apply(doc: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = doc.lines().map(str::to_owned).collect();
    for e in edits {
        if lines.is_empty() {
            break;
        }
        let n = lines.len();
        match e {
            Edit::Replace(i, c) => {
                let line = &mut lines[i % n];
                let mut chars: Vec<char> = line.chars().collect();
                if !chars.is_empty() {
                    let k = i / n % chars.len();
                    chars[k] = *c;
                    *line = chars.into_iter().collect();
                }
            }
            Edit::Drop(i) => {
                lines.remove(i % n);
            }
            Edit::Repeat(i) => {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
            Edit::Insert(i, t) => lines.insert(i % (n + 1), t.clone()),
        }
    }
    lines.join("\n")
}

proptest! {
    #[test]
    fn random_text_is_refused_or_reported(t in text()) {
        let _ = parse_tsv(&t, 2025, &directory);
        let _ = parse_csv(t.as_bytes(), 2025, &directory);
    }

    #[test]
    fn a_mutated_programme_table_is_refused_or_reported(e in edits()) {
        let _ = parse_tsv(&apply(SEED_2025, &e), 2025, &directory);
    }

    #[test]
    fn a_mutated_csv_template_is_refused_or_reported(e in edits()) {
        let mut csv = vec![];
        write_csv_template(&seed().0, &mut csv).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        let _ = parse_csv(apply(&csv, &e).as_bytes(), 2025, &directory);
    }
}
