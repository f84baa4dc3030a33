//! The contacts shipped with Zakrila, loaded once into each organisation that has
//! none yet. The numbers are those of the seeds (IOM's hotline 02 93 94 777 and
//! its team's +359 2 93 94 733, seeds 000 and 001) and the national lines the
//! network publishes; what each organisation offers beyond IOM's catalogue is our
//! reading of their public descriptions, for their admins to correct.

use super::{Contacts, Need, Phone, PhoneNumber};
use crate::region::Region;

/// One organisation's shipped contacts: its slug and the contacts.
pub struct ContactSeed {
    pub slug: &'static str,
    pub contacts: Contacts,
}

fn phone(number: &str, label_bg: &str, label_en: &str, hotline: bool) -> Phone {
    Phone {
        number: PhoneNumber::parse(number).expect("shipped numbers parse"),
        label_bg: label_bg.into(),
        label_en: label_en.into(),
        hotline,
    }
}

/// Every shipped organisation's contacts.
pub fn contacts() -> Vec<ContactSeed> {
    let everywhere: Vec<Region> = vec![];
    let iom_services = [
        "return",
        "reintegration",
        "counselling",
        "legal",
        "psychological",
        "needs_risk_assessment",
        "safe_transport",
        "medical",
        "humanitarian_package",
        "social_assistance",
        "job_search",
        "education",
        "follow_up",
        "witness_protection",
        "other",
    ];
    vec![
        ContactSeed {
            slug: "iom",
            contacts: Contacts {
                phones: vec![
                    phone(
                        "02 93 94 777",
                        "Гореща линия за жертви на трафик",
                        "Hotline for victims of trafficking",
                        true,
                    ),
                    phone(
                        "+359 2 93 94 733",
                        "Екип за борба с трафика на хора",
                        "Counter-trafficking team",
                        false,
                    ),
                ],
                email: Some("iomsofia@iom.int".into()),
                website: None,
                address_bg: "ул. „Цар Асен“ № 77, София".into(),
                address_en: "77 Tsar Asen St., Sofia".into(),
                hours_bg: String::new(),
                hours_en: String::new(),
                regions: everywhere.clone(),
                needs: vec![
                    Need::Legal,
                    Need::Psychological,
                    Need::Medical,
                    Need::Return,
                ],
                services: iom_services.iter().map(|s| (*s).into()).collect(),
            },
        },
        ContactSeed {
            slug: "a21",
            contacts: Contacts {
                phones: vec![phone(
                    "0800 20 100",
                    "Национална гореща линия, безплатно",
                    "National hotline, free",
                    true,
                )],
                regions: everywhere.clone(),
                needs: vec![Need::Legal, Need::Psychological],
                services: vec!["counselling".into(), "legal".into(), "psychological".into()],
                ..Contacts::default()
            },
        },
        ContactSeed {
            slug: "animus",
            contacts: Contacts {
                phones: vec![phone(
                    "0800 18 676",
                    "Национална телефонна линия за жертви на насилие, безплатно",
                    "National helpline for victims of violence, free",
                    true,
                )],
                regions: everywhere.clone(),
                needs: vec![Need::Shelter, Need::Psychological, Need::Legal],
                services: vec!["counselling".into(), "psychological".into(), "legal".into()],
                ..Contacts::default()
            },
        },
        ContactSeed {
            slug: "sacp",
            contacts: Contacts {
                phones: vec![phone(
                    "116 111",
                    "Национална телефонна линия за деца, безплатно",
                    "National helpline for children, free",
                    true,
                )],
                regions: everywhere.clone(),
                ..Contacts::default()
            },
        },
        ContactSeed {
            slug: "gli",
            contacts: Contacts {
                phones: vec![phone(
                    "0700 17 670",
                    "Инспекция по труда: права на работниците, и в чужбина",
                    "Labour inspectorate: workers' rights, also abroad",
                    true,
                )],
                regions: everywhere.clone(),
                ..Contacts::default()
            },
        },
        ContactSeed {
            slug: "nccthb",
            contacts: Contacts {
                phones: vec![phone(
                    "+359 2 807 80 50",
                    "Секретариат на Комисията",
                    "The Commission's secretariat",
                    false,
                )],
                regions: everywhere,
                ..Contacts::default()
            },
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference;

    #[test]
    fn every_seeded_contact_names_a_shipped_organisation_and_service() {
        let services: Vec<_> = reference::services()
            .iter()
            .map(|s| s.code.clone())
            .collect();
        for s in contacts() {
            assert!(
                reference::organisations()
                    .iter()
                    .any(|o| o.slug.as_str() == s.slug),
                "{}",
                s.slug
            );
            assert!(s.contacts.reachable(), "{}", s.slug);
            for code in &s.contacts.services {
                assert!(services.contains(code), "{code}");
            }
        }
    }
}
