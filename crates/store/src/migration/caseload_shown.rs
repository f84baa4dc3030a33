//! The columns a caseload row shows beside its key (`org_id`, `case_id`), where
//! each comes from, and how the schema declares it: one list for the migrations
//! that add or copy them (m0007, m0009) and for the store code that fills the
//! projection (`cases/caseload.rs`). A test holds it equal to `caseload::Column`.

use sea_orm_migration::{prelude::ColumnDef, schema::*};

/// The table a shown column is copied from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum From {
    Case,
    Person,
    /// Whether the caseload's organisation holds the case through a referral.
    Referred,
}

pub(crate) struct Shown {
    pub name: &'static str,
    pub from: From,
    /// The column of `from` it copies.
    pub source: &'static str,
    pub def: fn() -> ColumnDef,
}

const fn shown(
    name: &'static str,
    from: From,
    source: &'static str,
    def: fn() -> ColumnDef,
) -> Shown {
    Shown {
        name,
        from,
        source,
        def,
    }
}

/// In `caseload`'s column order, after the key. The first two came with the table
/// (m0006); the others with m0007.
pub(crate) const SHOWN: [Shown; 13] = [
    shown("updated_at", From::Case, "updated_at", || {
        big_integer("updated_at").default(0).take()
    }),
    shown("referred", From::Referred, "", || {
        boolean("referred").default(false).take()
    }),
    shown("code", From::Case, "code", || {
        string("code").default("").take()
    }),
    shown("owner_org_id", From::Case, "org_id", || {
        string("owner_org_id").default("").take()
    }),
    shown("stage", From::Case, "stage", || {
        string("stage").default("").take()
    }),
    shown("forms", From::Case, "forms", || {
        string("forms").default("").take()
    }),
    shown("risk_level", From::Case, "risk_level", || {
        string_null("risk_level")
    }),
    shown("reflection_ends", From::Case, "reflection_ends", || {
        string_null("reflection_ends")
    }),
    shown("version", From::Case, "version", || {
        integer("version").default(0).take()
    }),
    shown("sex", From::Person, "sex", || {
        string("sex").default("").take()
    }),
    shown("age_band", From::Person, "age_band", || {
        string_null("age_band")
    }),
    shown("citizenship", From::Person, "citizenship", || {
        string_null("citizenship")
    }),
    shown("is_child", From::Person, "is_child", || {
        boolean("is_child").default(false).take()
    }),
];

/// The shown columns' names, comma-separated, each prefixed by `prefix`.
pub(crate) fn names(prefix: &str) -> String {
    SHOWN
        .iter()
        .map(|s| format!("{prefix}{}", s.name))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use sea_orm::{IdenStatic, Iterable};

    use crate::entity::{case, caseload, caseload_token, person};

    #[test]
    fn the_list_is_the_entities_columns() {
        let listed: Vec<&str> = super::SHOWN.iter().map(|s| s.name).collect();
        let of = |cols: Vec<&'static str>| cols[cols.len() - listed.len()..].to_vec();
        assert_eq!(
            of(caseload::Column::iter().map(|c| c.as_str()).collect()),
            listed
        );
        assert_eq!(
            of(caseload_token::Column::iter().map(|c| c.as_str()).collect()),
            listed
        );
        for s in &super::SHOWN {
            let known = match s.from {
                super::From::Case => case::Column::iter().any(|c| c.as_str() == s.source),
                super::From::Person => person::Column::iter().any(|c| c.as_str() == s.source),
                super::From::Referred => true,
            };
            assert!(known, "{}", s.name);
        }
    }
}
