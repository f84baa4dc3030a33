//! Seed 003 read from its tab-separated table: the values below were checked
//! against the document by hand.

use zakrila_programme::{
    Activity, Bgn, Deadline, Indicator, IssueKind, Programme, Unit, parse_tsv,
};

use crate::{SEED_2025, directory, seed};

fn activity<'p>(programme: &'p Programme, code: &str) -> &'p Activity {
    programme
        .activity(code)
        .unwrap_or_else(|| panic!("activity {code} is missing"))
}

/// (name, baseline, target) of each indicator.
fn values(activity: &Activity) -> Vec<(&str, Option<f64>, Option<f64>)> {
    activity
        .indicators
        .iter()
        .map(|i: &Indicator| (i.name.as_str(), i.baseline, i.target))
        .collect()
}

fn december() -> Deadline {
    Deadline::Month {
        year: 2025,
        month: 12,
    }
}

#[test]
fn seven_sections_and_79_activities_in_document_order() {
    let (programme, _) = seed();
    assert_eq!(programme.year, 2025);
    assert!(programme.title.starts_with("НАЦИОНАЛНА ПРОГРАМА"));
    let numbers: Vec<u8> = programme.sections.iter().map(|s| s.number).collect();
    assert_eq!(numbers, vec![1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(programme.sections[1].title, "ПРЕВЕНЦИЯ");
    assert_eq!(
        programme.sections[2].title,
        "ОБУЧЕНИЕ И КВАЛИФИКАЦИЯ НА КАДРИ"
    );
    assert_eq!(programme.activities.len(), 79);
    assert_eq!(programme.activities[0].code, "1.1.1");
    assert_eq!(programme.activities[78].code, "7.1.1");
    let per_section: Vec<usize> = (1..=7)
        .map(|n| programme.activities_in_section(n).count())
        .collect();
    assert_eq!(per_section, vec![7, 33, 20, 8, 6, 4, 1]);
    assert_eq!(programme.strategic_objectives.len(), 26);
    let indicators: usize = programme
        .activities
        .iter()
        .map(|a| a.indicators.len())
        .sum();
    assert_eq!(indicators, 118);
}

#[test]
fn section_one_institutional_measures() {
    let (programme, _) = seed();
    let a = activity(&programme, "1.1.1");
    assert_eq!(a.strategic_objective.as_deref(), Some("1.1"));
    assert_eq!(a.budget.amount, None);
    assert_eq!(a.budget.source, "В рамките на бюджета на НКБТХ");
    assert_eq!(a.deadline, december());
    assert_eq!(a.indicators[0].target, Some(2.0));
    assert_eq!(a.lead[0].org.as_deref(), Some("nccthb"));
    assert_eq!(a.partners[0].org.as_deref(), Some("lccthb"));

    assert_eq!(
        activity(&programme, "1.2.1").budget.amount,
        Some(Bgn::from_leva(20_000))
    );
    let a = activity(&programme, "1.2.2");
    assert_eq!(a.budget.amount, Some(Bgn::from_leva(14_000)));
    assert_eq!(
        values(a),
        vec![
            ("проведена конференция", Some(0.0), Some(1.0)),
            ("Брой участници", Some(0.0), Some(150.0)),
        ]
    );
    assert_eq!(
        a.partners[0].mention,
        "Организация Международна мисия по правосъдие (IJM)"
    );
    let a = activity(&programme, "1.2.3");
    assert_eq!(
        a.deadline,
        Deadline::Month {
            year: 2025,
            month: 10
        }
    );
    assert_eq!(a.indicators[1].target, Some(60.0));
    assert_eq!(
        activity(&programme, "1.2.5").indicators[0].target,
        Some(10.0)
    );
}

#[test]
fn section_two_prevention() {
    let (programme, _) = seed();
    let a = activity(&programme, "2.1.1");
    assert_eq!(a.deadline_text, "Декември, 2025 г.");
    assert_eq!(
        a.indicators.iter().map(|i| i.target).collect::<Vec<_>>(),
        vec![Some(100.0), Some(150.0), Some(7.0)]
    );
    let mentions: Vec<&str> = a.partners.iter().map(|p| p.mention.as_str()).collect();
    assert_eq!(mentions, vec!["МТСП", "ИА ГИТ", "АЗ"]);

    let a = activity(&programme, "2.1.9");
    let i = &a.indicators[0];
    assert_eq!(
        (i.baseline, i.baseline_year, i.target),
        (Some(26.0), Some(2024), Some(30.0))
    );
    assert_eq!(
        i.baseline_text.as_deref(),
        Some("Брой случаи на предотвратен риск от трафик – 26 (за 2024 г.)")
    );

    let a = activity(&programme, "2.2.3");
    assert_eq!(a.strategic_objective.as_deref(), Some("2.3"));
    assert_eq!(
        (a.indicators[0].baseline, a.indicators[0].baseline_year),
        (Some(25.0), Some(2024))
    );
    assert_eq!(a.indicators[0].target, Some(50.0));
    assert_eq!(a.expected_results.lines().count(), 3);

    let a = activity(&programme, "2.3.1");
    assert_eq!(a.strategic_objective.as_deref(), Some("2.4"));
    assert_eq!(a.operational_objective, None);
    assert_eq!(
        values(a),
        vec![("Брой обхванати деца", Some(9905.0), Some(10_000.0))]
    );
    assert_eq!(a.lead[0].org.as_deref(), Some("mon"));

    assert_eq!(
        activity(&programme, "2.4.1").strategic_objective.as_deref(),
        Some("2.5")
    );
    let a = activity(&programme, "2.6.9");
    assert_eq!(
        values(a)[1],
        ("Брой достигнати лица", Some(0.0), Some(100.0))
    );

    let a = activity(&programme, "2.8.2");
    assert_eq!(a.title, "Надграждащо обучение за доброволци");
    assert!(a.indicators.is_empty() && a.lead.is_empty() && a.budget.is_empty());
    assert_eq!(a.deadline, Deadline::Unspecified);
}

#[test]
fn section_three_training() {
    let (programme, _) = seed();
    let a = activity(&programme, "3.1.4");
    // The two continuation rows add Varna and Veliko Tarnovo/Ruse sessions.
    assert_eq!(a.indicators.len(), 6);
    assert_eq!(a.indicators[2].name, "Брой проведени сесии - (гр. Варна)");
    assert_eq!(a.indicators[5].target, Some(60.0));
    assert_eq!(a.expected_results.lines().count(), 3);
    assert!(
        a.expected_results
            .ends_with("безопасна миграция към Нидерландия")
    );
    assert_eq!(a.lead.len(), 2);

    let a = activity(&programme, "3.2.1");
    assert_eq!(a.deadline, Deadline::Ongoing);
    let a = activity(&programme, "3.2.2");
    let trained = &a.indicators[0];
    assert_eq!(
        (trained.name.as_str(), trained.baseline, trained.target),
        ("Брой обучени служители", Some(0.0), Some(120.0))
    );
    let parts: Vec<(&str, Option<f64>, Option<f64>)> = trained
        .breakdowns
        .iter()
        .map(|b| (b.name.as_str(), b.baseline, b.target))
        .collect();
    assert_eq!(
        parts,
        vec![
            (
                "служители на правоприлагащите органи и прокурори",
                Some(0.0),
                Some(60.0)
            ),
            ("инспектори по труда", Some(0.0), Some(30.0)),
            ("специалисти а първа линия", Some(0.0), Some(30.0)),
        ]
    );
    let trainings = &a.indicators[1];
    assert_eq!(trainings.target, Some(9.0));
    assert_eq!(
        trainings
            .breakdowns
            .iter()
            .map(|b| b.target)
            .collect::<Vec<_>>(),
        vec![Some(3.0); 3]
    );

    let a = activity(&programme, "3.3.1");
    assert_eq!(
        (a.deadline, a.deadline_text.as_str()),
        (december(), "Март-декември 2025 г.")
    );
    assert_eq!(
        values(activity(&programme, "3.6.2")),
        vec![("Брой обучени специалисти", Some(56.0), Some(56.0))]
    );
    let a = activity(&programme, "3.7.4");
    assert!(a.budget.is_empty());
    assert_eq!(a.deadline, Deadline::Unspecified);
    assert_eq!(a.indicators[0].target, Some(10.0));
    assert_eq!(a.lead[0].org.as_deref(), Some("mvr-gdbop"));
}

#[test]
fn section_four_protection() {
    let (programme, _) = seed();
    let a = activity(&programme, "4.1.1");
    assert_eq!(a.budget.amount, Some(Bgn::from_leva(499_080)));
    assert_eq!(a.budget.amount.map(Bgn::stotinki), Some(49_908_000));
    assert_eq!(
        (a.indicators[0].baseline, a.indicators[0].target),
        (Some(25.0), Some(50.0))
    );
    let mentions: Vec<&str> = a.partners.iter().map(|p| p.mention.as_str()).collect();
    assert_eq!(mentions, vec!["SOS-семейства в риск", "Деметра"]);
    assert_eq!(activity(&programme, "4.2.1").indicators.len(), 3);
    assert_eq!(
        activity(&programme, "4.3.2").indicators[0].target,
        Some(15.0)
    );
}

#[test]
fn section_five_research_and_statistics() {
    let (programme, _) = seed();
    let a = activity(&programme, "5.1.4");
    assert_eq!(a.deadline, Deadline::Ongoing);
    let cases = &a.indicators[0];
    assert_eq!(cases.name, "Брой случай, включени в базата данни");
    assert_eq!(
        (cases.baseline, cases.baseline_year, cases.target),
        (Some(26.0), Some(2024), Some(35.0))
    );
    let measures = &a.indicators[1];
    assert!(
        measures
            .name
            .starts_with("Брой предложения за налагане на административни мерки")
    );
    assert_eq!(
        (measures.baseline, measures.baseline_year, measures.target),
        (Some(17.0), None, Some(28.0))
    );
    assert_eq!(activity(&programme, "5.1.1").indicators.len(), 2);
    assert_eq!(
        activity(&programme, "5.1.6").indicators[0].target,
        Some(2.0)
    );
}

#[test]
fn sections_six_and_seven() {
    let (programme, _) = seed();
    let a = activity(&programme, "6.1.1");
    assert_eq!(a.indicators[0].unit, Unit::Percent);
    assert_eq!(a.indicators[0].target, Some(100.0));
    let a = activity(&programme, "6.2.2");
    assert_eq!(
        a.indicators
            .iter()
            .map(|i| (i.baseline, i.target))
            .collect::<Vec<_>>(),
        vec![(None, Some(30.0)), (None, Some(30.0)), (None, Some(70.0))]
    );
    let a = activity(&programme, "7.1.1");
    assert_eq!(values(a), vec![("Изменени НК и НПК", Some(0.0), Some(1.0))]);
    assert_eq!(a.lead[0].org.as_deref(), Some("mp"));
    assert_eq!(a.partners.len(), 6);
}

#[test]
fn the_report_names_the_known_gaps() {
    let (_, report) = seed();
    assert!(report.has(IssueKind::MissingIndicator, "2.8.2"));
    assert!(report.has(IssueKind::MissingBudget, "3.7.4"));
    assert!(report.has(IssueKind::MissingDeadline, "3.7.4"));
    assert!(report.has(IssueKind::MissingBudget, "2.2.5"));
    assert!(report.has(IssueKind::MissingExpectedResults, "6.2.2"));
    assert!(report.has(IssueKind::MissingBaseline, "6.2.2"));
    assert!(report.has(IssueKind::CodeFormat, "1.2.5"));
    assert!(report.has(IssueKind::IndicatorValueOnOwnLine, "2.6.9"));
    assert!(report.has(IssueKind::BaselineMismatch, "4.1.1"));

    let untitled: Vec<_> = report.of_kind(IssueKind::MissingObjectiveTitle).collect();
    assert_eq!(untitled.len(), 1);
    assert_eq!(untitled[0].subject.as_deref(), Some("2.3"));

    let slips: Vec<_> = report.of_kind(IssueKind::NumberingSlip).collect();
    let objectives: Vec<&str> = slips.iter().filter_map(|i| i.subject.as_deref()).collect();
    assert_eq!(objectives, vec!["2.3", "2.4", "2.5", "2.6", "2.7"]);
    let slip = slips
        .iter()
        .find(|i| i.subject.as_deref() == Some("2.4"))
        .unwrap();
    assert_eq!(slip.activity.as_deref(), Some("2.3.1"));
    assert!(slip.message_en.contains("2.3.1") && slip.message_bg.contains("2.4"));

    assert_eq!(report.of_kind(IssueKind::ContinuationRow).count(), 2);
    assert!(
        report
            .of_kind(IssueKind::ContinuationRow)
            .all(|i| i.activity.as_deref() == Some("3.1.4"))
    );

    for issue in &report.issues {
        assert!(
            issue.message_bg.chars().any(|c| ('а'..='я').contains(&c)),
            "{issue:?}"
        );
        assert!(!issue.message_en.is_empty());
    }
}

#[test]
fn the_report_lists_every_unmatched_institution_once() {
    let (programme, report) = seed();
    let unmatched = report.unmatched_institutions();
    assert!(unmatched.contains(&"Деметра"));
    assert!(unmatched.contains(&"Организация Международна мисия по правосъдие (IJM)"));
    assert!(!unmatched.contains(&"НКБТХ"));
    let mut sorted = unmatched.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), unmatched.len());
    let every_unmatched_mention = programme
        .activities
        .iter()
        .flat_map(|a| a.lead.iter().chain(&a.partners))
        .filter(|i| i.org.is_none())
        .all(|i| unmatched.contains(&i.mention.as_str()));
    assert!(every_unmatched_mention);
    let issue = report
        .of_kind(IssueKind::UnmatchedInstitution)
        .find(|i| i.subject.as_deref() == Some("АЗ"))
        .unwrap();
    assert!(issue.message_en.contains("2.1.1, 2.1.3"));
}

#[test]
fn the_same_text_imports_the_same_way_every_time() {
    let first = seed();
    let second = parse_tsv(SEED_2025, 2025, &directory).unwrap();
    assert_eq!(first, second);
}

#[test]
fn importing_under_the_wrong_year_is_reported_not_refused() {
    let (programme, report) = parse_tsv(SEED_2025, 2026, &directory).unwrap();
    assert_eq!(programme.activities.len(), 79);
    assert_eq!(report.of_kind(IssueKind::YearMismatch).count(), 1);
    assert!(report.has(IssueKind::DeadlineOutsideYear, "1.1.1"));
}
