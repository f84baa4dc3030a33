//! Name lists for synthetic persons, by nationality. Common given and family names
//! combined at random, so a generated person is nobody in particular; the data is
//! fictional however realistic the names look.
//!
//! Bulgarian and Ukrainian names are kept in Cyrillic and written in Latin through
//! the transliteration table, as a foreign clerk would; other names are kept as pairs
//! (Latin, Bulgarian Cyrillic), the way Bulgarian documents transcribe them.

use rand::{Rng, seq::SliceRandom};
use zakrila_domain::translit;

pub const BG_FEMALE: &[&str] = &[
    "Мария",
    "Иванка",
    "Елена",
    "Йорданка",
    "Пенка",
    "Даниела",
    "Виолета",
    "Цветелина",
    "Невена",
    "Силвия",
    "Милена",
    "Десислава",
    "Габриела",
    "Николета",
    "Симона",
    "Кристина",
    "Теодора",
    "Радост",
    "Галина",
    "Снежана",
    "Петя",
    "Гергана",
    "Анелия",
    "Валентина",
    "Росица",
    "Станислава",
    "Вероника",
    "Христина",
    "Емилия",
    "Благовеста",
    "Зорница",
    "Ралица",
    "Яна",
    "Ивета",
    "Биляна",
    "Антония",
    "Александра",
    "Виктория",
    "Надежда",
    "Моника",
];
pub const BG_MALE: &[&str] = &[
    "Георги",
    "Иван",
    "Димитър",
    "Николай",
    "Петър",
    "Христо",
    "Стоян",
    "Тодор",
    "Васил",
    "Атанас",
    "Стефан",
    "Красимир",
    "Пламен",
    "Йордан",
    "Александър",
    "Мартин",
    "Калоян",
    "Борислав",
    "Цветан",
    "Емил",
    "Светослав",
    "Асен",
    "Любомир",
    "Радослав",
    "Веселин",
    "Ангел",
    "Симеон",
    "Кирил",
    "Росен",
    "Евгени",
];
/// Masculine forms; [`feminine_bg`] gives the feminine.
pub const BG_FAMILY: &[&str] = &[
    "Иванов",
    "Георгиев",
    "Димитров",
    "Петров",
    "Николов",
    "Христов",
    "Стоянов",
    "Тодоров",
    "Илиев",
    "Василев",
    "Атанасов",
    "Петков",
    "Ангелов",
    "Колев",
    "Йорданов",
    "Маринов",
    "Попов",
    "Стефанов",
    "Костов",
    "Михайлов",
    "Кръстев",
    "Добрев",
    "Желязков",
    "Цветков",
    "Русев",
    "Радев",
    "Янков",
    "Славов",
    "Митев",
    "Асенов",
    "Бончев",
    "Вълчев",
    "Гочев",
    "Дончев",
    "Енчев",
    "Жеков",
    "Зафиров",
    "Кирилов",
    "Лазаров",
    "Минчев",
    "Найденов",
    "Огнянов",
    "Пеев",
    "Рачев",
    "Симеонов",
    "Танев",
    "Узунов",
    "Филипов",
    "Христозов",
    "Цанков",
    "Чакъров",
    "Шишков",
    "Щерев",
    "Юруков",
    "Яков",
    "Ковачев",
    "Маджаров",
    "Белчев",
    "Алексиев",
    "Стойков",
    "Павлов",
    "Спасов",
    "Бойчев",
    "Генов",
    "Драганов",
    "Ненков",
    "Кацарски",
    "Лозански",
    "Пирински",
    "Рилски",
];

pub const UA_FEMALE: &[&str] = &[
    "Олена",
    "Оксана",
    "Наталія",
    "Тетяна",
    "Ірина",
    "Юлія",
    "Світлана",
    "Катерина",
    "Анастасія",
    "Вікторія",
    "Людмила",
    "Галина",
    "Марія",
    "Дарина",
    "Софія",
];
pub const UA_MALE: &[&str] = &[
    "Олександр",
    "Андрій",
    "Сергій",
    "Володимир",
    "Дмитро",
    "Микола",
    "Іван",
    "Василь",
    "Юрій",
    "Богдан",
    "Тарас",
    "Олег",
    "Максим",
    "Віктор",
    "Роман",
];
/// Masculine forms; [`feminine_ua`] gives the feminine.
pub const UA_FAMILY: &[&str] = &[
    "Шевченко",
    "Коваленко",
    "Бондаренко",
    "Ткаченко",
    "Кравченко",
    "Мельник",
    "Олійник",
    "Ковальчук",
    "Поліщук",
    "Бойко",
    "Лисенко",
    "Савчук",
    "Руденко",
    "Марченко",
    "Петренко",
    "Козак",
    "Павлюк",
    "Гнатюк",
    "Кравець",
    "Шевчук",
    "Левченко",
    "Карпенко",
    "Литвиненко",
    "Коваль",
    "Мороз",
    "Ковальський",
    "Заїченко",
    "Гончаренко",
];

/// (Latin, Cyrillic) pairs: Romanian and Moldovan names.
pub const RO_FEMALE: &[(&str, &str)] = &[
    ("Ioana", "Йоана"),
    ("Elena", "Елена"),
    ("Maria", "Мария"),
    ("Andreea", "Андреа"),
    ("Mihaela", "Михаела"),
    ("Cristina", "Кристина"),
    ("Alina", "Алина"),
    ("Florentina", "Флорентина"),
    ("Gabriela", "Габриела"),
    ("Roxana", "Роксана"),
    ("Daniela", "Даниела"),
    ("Loredana", "Лоредана"),
];
pub const RO_MALE: &[(&str, &str)] = &[
    ("Ion", "Йон"),
    ("Andrei", "Андрей"),
    ("Mihai", "Михай"),
    ("Alexandru", "Александру"),
    ("Ștefan", "Щефан"),
    ("Florin", "Флорин"),
    ("Gheorghe", "Георге"),
    ("Vasile", "Василе"),
    ("Constantin", "Константин"),
    ("Adrian", "Адриан"),
    ("Cristian", "Кристиан"),
    ("Marius", "Мариус"),
];
pub const RO_FAMILY: &[(&str, &str)] = &[
    ("Popescu", "Попеску"),
    ("Ionescu", "Йонеску"),
    ("Popa", "Попа"),
    ("Dumitru", "Думитру"),
    ("Stan", "Стан"),
    ("Stoica", "Стойка"),
    ("Gheorghe", "Георге"),
    ("Rusu", "Русу"),
    ("Munteanu", "Мунтяну"),
    ("Constantin", "Константин"),
    ("Matei", "Матей"),
    ("Ciobanu", "Чобану"),
    ("Lupu", "Лупу"),
    ("Moldovan", "Молдован"),
    ("Ceban", "Чебан"),
    ("Cojocaru", "Кожокару"),
    ("Răducanu", "Ръдукану"),
    ("Țurcanu", "Цуркану"),
];

/// Arabic names (Syria, Iraq), as transcribed in Latin and in Bulgarian Cyrillic.
pub const AR_FEMALE: &[(&str, &str)] = &[
    ("Fatima", "Фатима"),
    ("Aisha", "Айша"),
    ("Mariam", "Мариам"),
    ("Noor", "Нур"),
    ("Huda", "Худа"),
    ("Rania", "Рания"),
    ("Layla", "Лейла"),
    ("Samira", "Самира"),
    ("Amal", "Амал"),
    ("Zainab", "Зейнаб"),
    ("Yasmin", "Ясмин"),
    ("Rasha", "Раша"),
];
pub const AR_MALE: &[(&str, &str)] = &[
    ("Ahmad", "Ахмад"),
    ("Mohammad", "Мохамад"),
    ("Omar", "Омар"),
    ("Ali", "Али"),
    ("Khaled", "Халед"),
    ("Yousef", "Юсеф"),
    ("Hassan", "Хасан"),
    ("Ibrahim", "Ибрахим"),
    ("Mahmoud", "Махмуд"),
    ("Rami", "Рами"),
    ("Tareq", "Тарек"),
    ("Bilal", "Билал"),
];
pub const AR_FAMILY: &[(&str, &str)] = &[
    ("Al-Hassan", "Ал-Хасан"),
    ("Khalil", "Халил"),
    ("Haddad", "Хадад"),
    ("Nasser", "Насер"),
    ("Darwish", "Дарвиш"),
    ("Al-Ahmad", "Ал-Ахмад"),
    ("Mansour", "Мансур"),
    ("Saleh", "Салех"),
    ("Hamdan", "Хамдан"),
    ("Issa", "Иса"),
    ("Al-Khatib", "Ал-Хатиб"),
    ("Youssef", "Юсеф"),
    ("Shaheen", "Шахин"),
    ("Kassem", "Касем"),
];

/// Afghan and Pakistani names.
pub const AF_FEMALE: &[(&str, &str)] = &[
    ("Fereshta", "Фереща"),
    ("Zarghona", "Заргона"),
    ("Mariam", "Мариам"),
    ("Nazanin", "Назанин"),
    ("Shabnam", "Шабнам"),
    ("Parwana", "Парвана"),
    ("Mahbooba", "Махбуба"),
    ("Sima", "Сима"),
];
pub const AF_MALE: &[(&str, &str)] = &[
    ("Ahmad", "Ахмад"),
    ("Mohammad", "Мохамад"),
    ("Abdullah", "Абдула"),
    ("Hamid", "Хамид"),
    ("Rahim", "Рахим"),
    ("Javed", "Джавед"),
    ("Farid", "Фарид"),
    ("Naveed", "Навид"),
    ("Sohail", "Сохаил"),
    ("Zabihullah", "Забиула"),
    ("Imran", "Имран"),
    ("Bilal", "Билал"),
];
pub const AF_FAMILY: &[(&str, &str)] = &[
    ("Ahmadi", "Ахмади"),
    ("Rahimi", "Рахими"),
    ("Popal", "Попал"),
    ("Karimi", "Карими"),
    ("Hakimi", "Хакими"),
    ("Stanikzai", "Станикзай"),
    ("Noori", "Нури"),
    ("Sultani", "Султани"),
    ("Khan", "Хан"),
    ("Yusufzai", "Юсуфзай"),
    ("Hussaini", "Хусайни"),
    ("Qureshi", "Куреши"),
];

pub const TR_FEMALE: &[(&str, &str)] = &[
    ("Ayşe", "Айше"),
    ("Fatma", "Фатма"),
    ("Elif", "Елиф"),
    ("Zeynep", "Зейнеп"),
    ("Emine", "Емине"),
];
pub const TR_MALE: &[(&str, &str)] = &[
    ("Mehmet", "Мехмед"),
    ("Mustafa", "Мустафа"),
    ("Ahmet", "Ахмед"),
    ("Emre", "Емре"),
    ("Hüseyin", "Хюсеин"),
];
pub const TR_FAMILY: &[(&str, &str)] = &[
    ("Yılmaz", "Йълмаз"),
    ("Kaya", "Кая"),
    ("Demir", "Демир"),
    ("Şahin", "Шахин"),
    ("Çelik", "Челик"),
    ("Öztürk", "Йозтюрк"),
];

pub const NG_FEMALE: &[(&str, &str)] = &[
    ("Blessing", "Блесинг"),
    ("Joy", "Джой"),
    ("Precious", "Прешъс"),
    ("Favour", "Фейвър"),
    ("Chioma", "Чиома"),
];
pub const NG_MALE: &[(&str, &str)] = &[
    ("Emeka", "Емека"),
    ("Chinedu", "Чинеду"),
    ("Tunde", "Тунде"),
    ("Samuel", "Самюел"),
    ("Ifeanyi", "Ифеани"),
];
pub const NG_FAMILY: &[(&str, &str)] = &[
    ("Okafor", "Окафор"),
    ("Adeyemi", "Адейеми"),
    ("Eze", "Езе"),
    ("Nwosu", "Нвосу"),
    ("Obi", "Оби"),
    ("Osagie", "Осаги"),
];

/// The feminine of a Bulgarian family name: Иванов → Иванова, Пирински → Пиринска.
pub fn feminine_bg(m: &str) -> String {
    if let Some(stem) = m.strip_suffix("ски") {
        format!("{stem}ска")
    } else if m.ends_with("ов") || m.ends_with("ев") || m.ends_with("ин") {
        format!("{m}а")
    } else {
        m.to_owned()
    }
}

/// The feminine of a Ukrainian family name: Ковальський → Ковальська; -енко, -ук
/// and the like do not change.
pub fn feminine_ua(m: &str) -> String {
    if let Some(stem) = m.strip_suffix("ський") {
        format!("{stem}ська")
    } else {
        m.to_owned()
    }
}

/// A name in the script asked for: Cyrillic as listed, Latin by the transliteration
/// table (a Bulgarian or Ukrainian name in a foreign document).
pub fn cyrillic_in(name: &str, latin: bool) -> String {
    if latin {
        translit::to_latin(name)
    } else {
        name.to_owned()
    }
}

pub fn pair_in(p: (&str, &str), latin: bool) -> String {
    if latin {
        p.0.to_owned()
    } else {
        p.1.to_owned()
    }
}

pub fn pick<'a, T: ?Sized>(rng: &mut impl Rng, list: &'a [&'a T]) -> &'a T {
    list.choose(rng).expect("name lists are not empty")
}

pub fn pick_pair(
    rng: &mut impl Rng,
    list: &[(&'static str, &'static str)],
) -> (&'static str, &'static str) {
    *list.choose(rng).expect("name lists are not empty")
}

/// Every family name the generator can write, in both scripts (for benchmarks that
/// search by name).
#[cfg(test)]
pub fn family_names() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in BG_FAMILY {
        out.push((*m).to_owned());
        out.push(feminine_bg(m));
    }
    for p in RO_FAMILY.iter().chain(AR_FAMILY).chain(AF_FAMILY) {
        out.push(p.0.to_owned());
    }
    out
}
