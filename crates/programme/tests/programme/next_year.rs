//! Copying the 2025 Programme forward and comparing years.

use zakrila_programme::{ChangedField, Deadline, compare, copy_forward};

use crate::seed;

#[test]
fn copying_forward_keeps_the_structure_and_clears_the_values() {
    let (programme, _) = seed();
    let next = copy_forward(&programme, 2026);
    assert_eq!(next.year, 2026);
    assert!(next.title.ends_with("ЗА 2026 г."));
    assert_eq!(next.sections, programme.sections);
    assert_eq!(next.activities.len(), 79);
    let a = next.activity("4.1.1").unwrap();
    assert_eq!(a.budget.amount, None);
    assert_eq!(
        a.budget.source,
        programme.activity("4.1.1").unwrap().budget.source
    );
    assert_eq!(
        a.deadline,
        Deadline::Month {
            year: 2026,
            month: 12
        }
    );
    assert_eq!(a.deadline_text, "Декември 2026 г.");
    assert_eq!(
        next.activity("5.1.4").unwrap().deadline_text,
        "Постоянен за 2026 г."
    );
    let trained = &next.activity("3.2.2").unwrap().indicators[0];
    assert_eq!((trained.baseline, trained.target), (None, None));
    assert_eq!(trained.breakdowns.len(), 3);
    assert!(trained.breakdowns.iter().all(|b| b.target.is_none()));
    assert_eq!(a.lead, programme.activity("4.1.1").unwrap().lead);
}

#[test]
fn comparing_years_lists_added_removed_and_changed_activities() {
    let (programme, _) = seed();
    assert_eq!(compare(&programme, &programme), Default::default());
    let mut next = copy_forward(&programme, 2026);
    next.activities.retain(|a| a.code != "2.8.2");
    let mut extra = next.activities[0].clone();
    extra.code = "1.1.2".into();
    next.activities.insert(1, extra);
    let comparison = compare(&programme, &next);
    assert_eq!(comparison.added, vec!["1.1.2"]);
    assert_eq!(comparison.removed, vec!["2.8.2"]);
    let change = comparison
        .changed
        .iter()
        .find(|c| c.code == "4.1.1")
        .unwrap();
    assert_eq!(
        change.fields,
        vec![ChangedField::Budget, ChangedField::Indicators]
    );
    // 3.7.4 has no budget amount and no deadline: only its indicator's values changed.
    let change = comparison
        .changed
        .iter()
        .find(|c| c.code == "3.7.4")
        .unwrap();
    assert_eq!(change.fields, vec![ChangedField::Indicators]);
}
