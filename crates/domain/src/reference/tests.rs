//! Tests of the shipped reference data against the seeds.
use super::*;

fn slug_of(text: &str) -> Option<&'static str> {
    match_institution(text).map(|o| o.slug.as_str())
}

#[test]
fn required_slugs_exist() {
    for slug in [
        "nccthb", "iom", "a21", "animus", "dignita", "sacp", "asa", "sar", "mvr", "mfa",
    ] {
        assert!(organisation(slug).is_some(), "missing organisation {slug}");
    }
}

#[test]
fn slugs_are_unique_and_parents_exist() {
    let orgs = organisations();
    assert!(orgs.len() >= 40, "only {} organisations", orgs.len());
    let mut seen = HashSet::new();
    for org in orgs {
        assert!(
            seen.insert(org.slug.as_str()),
            "duplicate slug {}",
            org.slug
        );
        assert!(OrgSlug::parse(org.slug.as_str()).is_ok());
        assert!(!org.abbrev_bg.is_empty() && !org.name_bg.is_empty() && !org.name_en.is_empty());
        if let Some(parent) = &org.parent {
            assert!(
                organisation(parent.as_str()).is_some(),
                "{}: unknown parent {parent}",
                org.slug
            );
            assert_ne!(parent, &org.slug);
        }
    }
}

#[test]
fn parent_chains_end() {
    for org in organisations() {
        let mut at = org;
        for _ in 0..organisations().len() {
            match &at.parent {
                Some(p) => at = organisation(p.as_str()).expect("parent exists"),
                None => break,
            }
        }
        assert!(at.parent.is_none(), "{}: cycle of parents", org.slug);
    }
}

/// Each spelling names one organisation only, and matching finds it: otherwise
/// a Programme cell could be credited to the wrong body.
#[test]
fn every_spelling_names_exactly_its_organisation() {
    let mut owner: HashMap<String, &str> = HashMap::new();
    for org in organisations() {
        for name in org.names() {
            let key = fold_name(name);
            assert!(!key.is_empty(), "{}: empty spelling", org.slug);
            if let Some(other) = owner.insert(key, org.slug.as_str()) {
                assert_eq!(
                    other,
                    org.slug.as_str(),
                    "{name:?} names both {other} and {}",
                    org.slug
                );
            }
            assert_eq!(slug_of(name), Some(org.slug.as_str()), "{name:?}");
            assert!(
                !is_generic_mention(name),
                "{name:?} is both a name and generic"
            );
        }
    }
}

#[test]
fn matching_ignores_case_quotes_and_punctuation() {
    assert_eq!(slug_of("  мвнр, "), Some("mfa"));
    assert_eq!(slug_of("Фондация“ Кампания А21“"), Some("a21"));
    assert_eq!(slug_of("Фондация „кампания А21"), Some("a21"));
    assert_eq!(slug_of("ФОНДАЦИЯ „ДИГНИТА“"), Some("dignita"));
    assert_eq!(slug_of("и МКБТХ."), Some("lcthb"));
    assert_eq!(slug_of("Прокуратурата на Р България (ПРБ)"), Some("prb"));
    assert_eq!(
        slug_of("Организация Международна мисия по правосъдие (IJM)"),
        Some("ijm")
    );
    assert_eq!(slug_of("Държавна агенция за бежанците"), Some("sar"));
    assert_eq!(slug_of("АНКБТХ"), Some("nccthb"));
    assert_eq!(
        slug_of("Министерство на труда и социалната политика"),
        Some("mlsp")
    );
    assert_eq!(slug_of("Министерство на труда"), None);
    assert_eq!(slug_of("НПО"), None);
    assert!(is_generic_mention("НПО"));
    assert!(is_generic_mention("и др."));
}

#[test]
fn splitting_keeps_names_whole() {
    assert_eq!(
        split_institutions("Министерство на труда и социалната политика, МВР и МВнР"),
        ["Министерство на труда и социалната политика", "МВР", "МВнР"]
    );
    assert_eq!(
        split_institutions("МТСП/ ИА ГИТ\nАЗ"),
        ["МТСП", "ИА ГИТ", "АЗ"]
    );
    assert_eq!(
        split_institutions("ФАА International Justice Mission"),
        ["ФАА", "International Justice Mission"]
    );
    assert_eq!(
        split_institutions("МКБТХ, Фондация“ Кампания А21“ НПО, БМЧК"),
        ["МКБТХ", "Фондация“ Кампания А21“", "НПО", "БМЧК"]
    );
    assert_eq!(split_institutions("НКБТХ и МКБТХ"), ["НКБТХ", "МКБТХ"]);
    assert_eq!(
        split_institutions("„Дигнита“„Анимус“"),
        ["„Дигнита“", "„Анимус“"]
    );
    assert_eq!(
        split_institutions("МВнР, МВР, АСП, МВР"),
        ["МВнР", "МВР", "АСП"]
    );
    assert_eq!(
        split_institutions("НСИ, НСлС; МВР;\nПрокуратура на Р България,\nДАЗД, МКБТХ"),
        [
            "НСИ",
            "НСлС",
            "МВР",
            "Прокуратура на Р България",
            "ДАЗД",
            "МКБТХ"
        ]
    );
    // A parenthesis after a name stays with it, separators inside it included.
    assert_eq!(
        split_institutions(
            "НКБТХ; Служби по трудови и социални въпроси към МТСП (към посолствата в Австрия; Гърция)"
        ),
        [
            "НКБТХ",
            "Служби по трудови и социални въпроси към МТСП (към посолствата в Австрия; Гърция)"
        ]
    );
    // Unknown text is split on separators only, never on "и".
    assert_eq!(
        split_institutions("Фондация Х и Сдружение У; МВР"),
        ["Фондация Х и Сдружение У", "МВР"]
    );
    assert!(split_institutions(" \n").is_empty());
}

/// IOM's partners as seed 001 lists them.
#[test]
fn iom_partners_of_seed_001_match() {
    let partners = [
        (
            "Глобалната мрежа мисии на Международната организация по миграция",
            "iom",
        ),
        ("Националната комисия за борба с трафика на хора", "nccthb"),
        ("Министерство на вътрешните работи", "mvr"),
        ("Главна дирекция „Гранична полиция“", "mvr-gdgp"),
        (
            "Главна дирекция „Борба с организираната престъпност“",
            "mvr-gdbop",
        ),
        ("Дирекция „Миграция“", "mvr-migration"),
        ("Министерство на външните работи", "mfa"),
        ("Държавна агенция за закрила на детето", "sacp"),
        ("Агенция за социално подпомагане", "asa"),
        ("Държавна агенция за бежанците", "sar"),
        ("Прокуратурата на Р България", "prb"),
        ("Фондация Асоциация „Анимус“", "animus"),
    ];
    for (text, slug) in partners {
        assert_eq!(slug_of(text), Some(slug), "{text:?}");
    }
    assert!(is_generic_mention(
        "Неправителствени организации предоставящи услуги за жертви на трафик на хора"
    ));
}

/// One activity row of the Programme table: its code (empty on the rows that
/// continue the previous activity) and its lead and partner cells.
struct Row {
    code: String,
    lead: String,
    partner: String,
}

/// A rough reading of the Programme table, enough to reach the institution
/// columns. Every cell starts on a new line with a tab, so splitting on "\n\t"
/// gives the cells even when one spans several lines. Each section repeats the
/// two header rows, the second ending with the cell "Партньор"; after it, every
/// row has exactly ten cells: strategic objective, operational objective,
/// activity, budget, deadline, expected results, current and target indicator
/// values, lead, partner.
fn programme_rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for section in PROGRAMME_2025.split("\nРАЗДЕЛ").skip(1) {
        let cells: Vec<&str> = section.split("\n\t").skip(1).collect();
        let header_end = cells
            .iter()
            .position(|c| c.trim() == "Партньор")
            .expect("each section has a header ending in „Партньор“");
        let body = &cells[header_end + 1..];
        assert_eq!(body.len() % 10, 0, "a section's rows are not all ten cells");
        for row in body.chunks(10) {
            let code = row[2]
                .split_whitespace()
                .next()
                .unwrap_or("")
                .trim_end_matches('.');
            rows.push(Row {
                code: code.to_owned(),
                lead: row[8].to_owned(),
                partner: row[9].to_owned(),
            });
        }
    }
    rows
}

#[test]
fn programme_table_reads_as_expected() {
    let rows = programme_rows();
    assert_eq!(rows.len(), 81);
    let is_code = |c: &str| {
        let parts: Vec<&str> = c.split('.').collect();
        parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    };
    for row in &rows {
        assert!(
            row.code.is_empty() || is_code(&row.code),
            "bad activity code {:?}",
            row.code
        );
    }
    let row = |code: &str| rows.iter().find(|r| r.code == code).expect(code);
    assert_eq!(row("1.1.1").lead.trim(), "НКБТХ");
    assert_eq!(
        row("7.1.1").partner.trim(),
        "ВП, МВР, ВКС, НКБТХ, ДАЗД, АСП"
    );
}

/// Every institution the Programme names in its lead and partner columns is in
/// the reference list, or is one of the documented generic mentions.
#[test]
fn every_programme_institution_matches() {
    let mut unmatched = Vec::new();
    let mut matched = HashSet::new();
    for row in programme_rows() {
        for (column, cell) in [("lead", &row.lead), ("partner", &row.partner)] {
            let mentions = split_institutions(cell);
            for mention in &mentions {
                match match_institution(mention) {
                    Some(org) => {
                        matched.insert(org.slug.as_str());
                    }
                    None if is_generic_mention(mention) => {}
                    None => unmatched.push(format!("{} {column}: {mention:?}", row.code)),
                }
            }
            // A lead must be a body that can report, not a category.
            if column == "lead" && !mentions.is_empty() {
                assert!(
                    mentions.iter().any(|m| match_institution(m).is_some()),
                    "{} lead {cell:?}",
                    row.code
                );
            }
        }
    }
    assert!(
        unmatched.is_empty(),
        "unmatched institution mentions:\n{}",
        unmatched.join("\n")
    );
    for slug in [
        "nccthb",
        "lcthb",
        "mvr-gdbop",
        "mvr-gdgp",
        "gli",
        "mes-rde",
        "a21",
        "dignita",
        "animus",
        "prb",
    ] {
        assert!(
            matched.contains(slug),
            "{slug} never matched in the Programme"
        );
    }
}

#[test]
fn fifteen_services_with_unique_codes() {
    let services = services();
    assert_eq!(services.len(), 15);
    let codes: HashSet<&str> = services.iter().map(|s| s.code.as_str()).collect();
    assert_eq!(codes.len(), 15);
    for code in ["return", "reintegration", "witness_protection", "other"] {
        assert!(codes.contains(code), "missing service {code}");
    }
}

#[test]
fn parser_rejects_malformed_rows() {
    let header = "slug\tabbrev_bg\tname_bg\tname_en\tkind\tparent\taliases\n";
    let ok = format!("# comment\n{header}x1\tХ\tХ\tX\tngo\n");
    assert_eq!(
        parse_organisations(&ok).unwrap()[0].aliases,
        Vec::<String>::new()
    );
    for bad in [
        format!("{header}X1\tХ\tХ\tX\tngo\t\t\n"),
        format!("{header}x1\tХ\tХ\tX\tcharity\t\t\n"),
        format!("{header}x1\tХ\t\tX\tngo\t\t\n"),
        format!("{header}x1\tХ\tХ\tX\tngo\t\t\textra\n"),
        "slug\tname\n".to_owned(),
    ] {
        assert!(parse_organisations(&bad).is_err(), "{bad:?}");
    }
    let err = parse_organisations(&format!("{header}\nx1\tХ\tХ\tX\tcharity\n")).unwrap_err();
    assert_eq!(err.line, 3);
}
