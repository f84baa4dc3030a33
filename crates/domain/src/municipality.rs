//! Bulgaria's 265 municipalities (общини), each in its region, by the National
//! Statistical Institute's code (EKATTE: the region's three letters and a number,
//! e.g. `PDV22` Plovdiv). Where a hotline signal happened can be told down to the
//! municipality; reports still group by region.

use crate::region::Region;

/// A municipality: its code, names and region (an index into the regions' list).
#[derive(Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MunicipalityInfo {
    pub code: &'static str,
    pub bg: &'static str,
    pub en: &'static str,
    /// The region's number in ISO 3166-2:BG (`BG-16` is 16).
    region: u8,
}

const fn m(code: &'static str, bg: &'static str, en: &'static str, region: u8) -> MunicipalityInfo {
    MunicipalityInfo {
        code,
        bg,
        en,
        region,
    }
}

/// The municipalities, region by region, alphabetically in Bulgarian within each.
pub static MUNICIPALITIES: [MunicipalityInfo; 265] = [
    // BG-01 Благоевград
    m("BLG01", "Банско", "Bansko", 1),
    m("BLG02", "Белица", "Belitsa", 1),
    m("BLG03", "Благоевград", "Blagoevgrad", 1),
    m("BLG11", "Гоце Делчев", "Gotse Delchev", 1),
    m("BLG13", "Гърмен", "Garmen", 1),
    m("BLG28", "Кресна", "Kresna", 1),
    m("BLG33", "Петрич", "Petrich", 1),
    m("BLG37", "Разлог", "Razlog", 1),
    m("BLG40", "Сандански", "Sandanski", 1),
    m("BLG42", "Сатовча", "Satovcha", 1),
    m("BLG44", "Симитли", "Simitli", 1),
    m("BLG49", "Струмяни", "Strumyani", 1),
    m("BLG52", "Хаджидимово", "Hadzhidimovo", 1),
    m("BLG53", "Якоруда", "Yakoruda", 1),
    // BG-02 Бургас
    m("BGS01", "Айтос", "Aytos", 2),
    m("BGS04", "Бургас", "Burgas", 2),
    m("BGS08", "Камено", "Kameno", 2),
    m("BGS09", "Карнобат", "Karnobat", 2),
    m("BGS12", "Малко Търново", "Malko Tarnovo", 2),
    m("BGS15", "Несебър", "Nesebar", 2),
    m("BGS17", "Поморие", "Pomorie", 2),
    m("BGS27", "Приморско", "Primorsko", 2),
    m("BGS18", "Руен", "Ruen", 2),
    m("BGS21", "Созопол", "Sozopol", 2),
    m("BGS06", "Средец", "Sredets", 2),
    m("BGS23", "Сунгурларе", "Sungurlare", 2),
    m("BGS13", "Царево", "Tsarevo", 2),
    // BG-03 Варна
    m("VAR01", "Аврен", "Avren", 3),
    m("VAR02", "Аксаково", "Aksakovo", 3),
    m("VAR04", "Белослав", "Beloslav", 3),
    m("VAR05", "Бяла", "Byala", 3),
    m("VAR06", "Варна", "Varna", 3),
    m("VAR08", "Ветрино", "Vetrino", 3),
    m("VAR09", "Вълчи дол", "Valchi Dol", 3),
    m("VAR14", "Девня", "Devnya", 3),
    m("VAR13", "Долни чифлик", "Dolni Chiflik", 3),
    m("VAR16", "Дългопол", "Dalgopol", 3),
    m("VAR24", "Провадия", "Provadia", 3),
    m("VAR26", "Суворово", "Suvorovo", 3),
    // BG-04 Велико Търново
    m("VTR04", "Велико Търново", "Veliko Tarnovo", 4),
    m("VTR06", "Горна Оряховица", "Gorna Oryahovitsa", 4),
    m("VTR13", "Елена", "Elena", 4),
    m("VTR14", "Златарица", "Zlataritsa", 4),
    m("VTR20", "Лясковец", "Lyaskovets", 4),
    m("VTR22", "Павликени", "Pavlikeni", 4),
    m("VTR26", "Полски Тръмбеш", "Polski Trambesh", 4),
    m("VTR28", "Свищов", "Svishtov", 4),
    m("VTR31", "Стражица", "Strazhitsa", 4),
    m("VTR32", "Сухиндол", "Suhindol", 4),
    // BG-05 Видин
    m("VID01", "Белоградчик", "Belogradchik", 5),
    m("VID03", "Бойница", "Boynitsa", 5),
    m("VID06", "Брегово", "Bregovo", 5),
    m("VID09", "Видин", "Vidin", 5),
    m("VID15", "Грамада", "Gramada", 5),
    m("VID16", "Димово", "Dimovo", 5),
    m("VID22", "Кула", "Kula", 5),
    m("VID25", "Макреш", "Makresh", 5),
    m("VID30", "Ново село", "Novo Selo", 5),
    m("VID33", "Ружинци", "Ruzhintsi", 5),
    m("VID37", "Чупрене", "Chuprene", 5),
    // BG-06 Враца
    m("VRC05", "Борован", "Borovan", 6),
    m("VRC08", "Бяла Слатина", "Byala Slatina", 6),
    m("VRC10", "Враца", "Vratsa", 6),
    m("VRC20", "Козлодуй", "Kozloduy", 6),
    m("VRC21", "Криводол", "Krivodol", 6),
    m("VRC27", "Мездра", "Mezdra", 6),
    m("VRC28", "Мизия", "Mizia", 6),
    m("VRC31", "Оряхово", "Oryahovo", 6),
    m("VRC32", "Роман", "Roman", 6),
    m("VRC35", "Хайредин", "Hayredin", 6),
    // BG-07 Габрово
    m("GAB05", "Габрово", "Gabrovo", 7),
    m("GAB12", "Дряново", "Dryanovo", 7),
    m("GAB29", "Севлиево", "Sevlievo", 7),
    m("GAB35", "Трявна", "Tryavna", 7),
    // BG-08 Добрич
    m("DOB03", "Балчик", "Balchik", 8),
    m("DOB12", "Генерал Тошево", "General Toshevo", 8),
    m("DOB28", "Добрич", "Dobrich", 8),
    m("DOB15", "Добричка", "Dobrichka", 8),
    m("DOB17", "Каварна", "Kavarna", 8),
    m("DOB20", "Крушари", "Krushari", 8),
    m("DOB27", "Тервел", "Tervel", 8),
    m("DOB29", "Шабла", "Shabla", 8),
    // BG-09 Кърджали
    m("KRZ02", "Ардино", "Ardino", 9),
    m("KRZ08", "Джебел", "Dzhebel", 9),
    m("KRZ14", "Кирково", "Kirkovo", 9),
    m("KRZ15", "Крумовград", "Krumovgrad", 9),
    m("KRZ16", "Кърджали", "Kardzhali", 9),
    m("KRZ21", "Момчилград", "Momchilgrad", 9),
    m("KRZ35", "Черноочене", "Chernoochene", 9),
    // BG-10 Кюстендил
    m("KNL04", "Бобов дол", "Bobov Dol", 10),
    m("KNL05", "Бобошево", "Boboshevo", 10),
    m("KNL48", "Дупница", "Dupnitsa", 10),
    m("KNL27", "Кочериново", "Kocherinovo", 10),
    m("KNL29", "Кюстендил", "Kyustendil", 10),
    m("KNL31", "Невестино", "Nevestino", 10),
    m("KNL38", "Рила", "Rila", 10),
    m("KNL41", "Сапарева баня", "Sapareva Banya", 10),
    m("KNL50", "Трекляно", "Treklyano", 10),
    // BG-11 Ловеч
    m("LOV02", "Априлци", "Apriltsi", 11),
    m("LOV17", "Летница", "Letnitsa", 11),
    m("LOV18", "Ловеч", "Lovech", 11),
    m("LOV19", "Луковит", "Lukovit", 11),
    m("LOV33", "Тетевен", "Teteven", 11),
    m("LOV34", "Троян", "Troyan", 11),
    m("LOV36", "Угърчин", "Ugarchin", 11),
    m("LOV38", "Ябланица", "Yablanitsa", 11),
    // BG-12 Монтана
    m("MON02", "Берковица", "Berkovitsa", 12),
    m("MON04", "Бойчиновци", "Boychinovtsi", 12),
    m("MON07", "Брусарци", "Brusartsi", 12),
    m("MON11", "Вълчедръм", "Valchedram", 12),
    m("MON12", "Вършец", "Varshets", 12),
    m("MON14", "Георги Дамяново", "Georgi Damyanovo", 12),
    m("MON24", "Лом", "Lom", 12),
    m("MON26", "Медковец", "Medkovets", 12),
    m("MON29", "Монтана", "Montana", 12),
    m("MON36", "Чипровци", "Chiprovtsi", 12),
    m("MON38", "Якимово", "Yakimovo", 12),
    // BG-13 Пазарджик
    m("PAZ03", "Батак", "Batak", 13),
    m("PAZ04", "Белово", "Belovo", 13),
    m("PAZ06", "Брацигово", "Bratsigovo", 13),
    m("PAZ08", "Велинград", "Velingrad", 13),
    m("PAZ14", "Лесичово", "Lesichovo", 13),
    m("PAZ19", "Пазарджик", "Pazardzhik", 13),
    m("PAZ20", "Панагюрище", "Panagyurishte", 13),
    m("PAZ21", "Пещера", "Peshtera", 13),
    m("PAZ24", "Ракитово", "Rakitovo", 13),
    m("PAZ29", "Септември", "Septemvri", 13),
    m("PAZ32", "Стрелча", "Strelcha", 13),
    m("PAZ43", "Сърница", "Sarnitsa", 13),
    // BG-14 Перник
    m("PER08", "Брезник", "Breznik", 14),
    m("PER19", "Земен", "Zemen", 14),
    m("PER22", "Ковачевци", "Kovachevtsi", 14),
    m("PER32", "Перник", "Pernik", 14),
    m("PER36", "Радомир", "Radomir", 14),
    m("PER51", "Трън", "Tran", 14),
    // BG-15 Плевен
    m("PVN03", "Белене", "Belene", 15),
    m("PVN08", "Гулянци", "Gulyantsi", 15),
    m("PVN10", "Долна Митрополия", "Dolna Mitropolia", 15),
    m("PVN11", "Долни Дъбник", "Dolni Dabnik", 15),
    m("PVN23", "Искър", "Iskar", 15),
    m("PVN39", "Кнежа", "Knezha", 15),
    m("PVN16", "Левски", "Levski", 15),
    m("PVN21", "Никопол", "Nikopol", 15),
    m("PVN24", "Плевен", "Pleven", 15),
    m("PVN27", "Пордим", "Pordim", 15),
    m("PVN37", "Червен бряг", "Cherven Bryag", 15),
    // BG-16 Пловдив
    m("PDV01", "Асеновград", "Asenovgrad", 16),
    m("PDV07", "Брезово", "Brezovo", 16),
    m("PDV12", "Калояново", "Kaloyanovo", 16),
    m("PDV13", "Карлово", "Karlovo", 16),
    m("PDV39", "Кричим", "Krichim", 16),
    m("PDV42", "Куклен", "Kuklen", 16),
    m("PDV15", "Лъки", "Laki", 16),
    m("PDV17", "Марица", "Maritsa", 16),
    m("PDV40", "Перущица", "Perushtitsa", 16),
    m("PDV22", "Пловдив", "Plovdiv", 16),
    m("PDV23", "Първомай", "Parvomay", 16),
    m("PDV25", "Раковски", "Rakovski", 16),
    m("PDV26", "Родопи", "Rodopi", 16),
    m("PDV28", "Садово", "Sadovo", 16),
    m("PDV43", "Сопот", "Sopot", 16),
    m("PDV41", "Стамболийски", "Stamboliyski", 16),
    m("PDV33", "Съединение", "Saedinenie", 16),
    m("PDV37", "Хисаря", "Hisarya", 16),
    // BG-17 Разград
    m("RAZ11", "Завет", "Zavet", 17),
    m("RAZ14", "Исперих", "Isperih", 17),
    m("RAZ16", "Кубрат", "Kubrat", 17),
    m("RAZ17", "Лозница", "Loznitsa", 17),
    m("RAZ26", "Разград", "Razgrad", 17),
    m("RAZ29", "Самуил", "Samuil", 17),
    m("RAZ36", "Цар Калоян", "Tsar Kaloyan", 17),
    // BG-18 Русе
    m("RSE03", "Борово", "Borovo", 18),
    m("RSE04", "Бяла", "Byala", 18),
    m("RSE05", "Ветово", "Vetovo", 18),
    m("RSE08", "Две могили", "Dve Mogili", 18),
    m("RSE13", "Иваново", "Ivanovo", 18),
    m("RSE27", "Русе", "Ruse", 18),
    m("RSE33", "Сливо поле", "Slivo Pole", 18),
    m("RSE37", "Ценово", "Tsenovo", 18),
    // BG-19 Силистра
    m("SLS01", "Алфатар", "Alfatar", 19),
    m("SLS07", "Главиница", "Glavinitsa", 19),
    m("SLS10", "Дулово", "Dulovo", 19),
    m("SLS15", "Кайнарджа", "Kaynardzha", 19),
    m("SLS31", "Силистра", "Silistra", 19),
    m("SLS32", "Ситово", "Sitovo", 19),
    m("SLS34", "Тутракан", "Tutrakan", 19),
    // BG-20 Сливен
    m("SLV11", "Котел", "Kotel", 20),
    m("SLV16", "Нова Загора", "Nova Zagora", 20),
    m("SLV20", "Сливен", "Sliven", 20),
    m("SLV24", "Твърдица", "Tvarditsa", 20),
    // BG-21 Смолян
    m("SML02", "Баните", "Banite", 21),
    m("SML05", "Борино", "Borino", 21),
    m("SML09", "Девин", "Devin", 21),
    m("SML10", "Доспат", "Dospat", 21),
    m("SML11", "Златоград", "Zlatograd", 21),
    m("SML16", "Мадан", "Madan", 21),
    m("SML18", "Неделино", "Nedelino", 21),
    m("SML27", "Рудозем", "Rudozem", 21),
    m("SML31", "Смолян", "Smolyan", 21),
    m("SML38", "Чепеларе", "Chepelare", 21),
    // BG-22 София (столица)
    m("SOF46", "Столична", "Stolichna", 22),
    // BG-23 София (област)
    m("SFO54", "Антон", "Anton", 23),
    m("SFO06", "Божурище", "Bozhurishte", 23),
    m("SFO07", "Ботевград", "Botevgrad", 23),
    m("SFO09", "Годеч", "Godech", 23),
    m("SFO10", "Горна Малина", "Gorna Malina", 23),
    m("SFO59", "Долна баня", "Dolna Banya", 23),
    m("SFO16", "Драгоман", "Dragoman", 23),
    m("SFO17", "Елин Пелин", "Elin Pelin", 23),
    m("SFO18", "Етрополе", "Etropole", 23),
    m("SFO47", "Златица", "Zlatitsa", 23),
    m("SFO20", "Ихтиман", "Ihtiman", 23),
    m("SFO24", "Копривщица", "Koprivshtitsa", 23),
    m("SFO25", "Костенец", "Kostenets", 23),
    m("SFO26", "Костинброд", "Kostinbrod", 23),
    m("SFO56", "Мирково", "Mirkovo", 23),
    m("SFO55", "Пирдоп", "Pirdop", 23),
    m("SFO34", "Правец", "Pravets", 23),
    m("SFO39", "Самоков", "Samokov", 23),
    m("SFO43", "Своге", "Svoge", 23),
    m("SFO45", "Сливница", "Slivnitsa", 23),
    m("SFO57", "Чавдар", "Chavdar", 23),
    m("SFO58", "Челопеч", "Chelopech", 23),
    // BG-24 Стара Загора
    m("SZR04", "Братя Даскалови", "Bratya Daskalovi", 24),
    m("SZR37", "Гурково", "Gurkovo", 24),
    m("SZR07", "Гълъбово", "Galabovo", 24),
    m("SZR12", "Казанлък", "Kazanlak", 24),
    m("SZR22", "Мъглиж", "Maglizh", 24),
    m("SZR38", "Николаево", "Nikolaevo", 24),
    m("SZR23", "Опан", "Opan", 24),
    m("SZR24", "Павел баня", "Pavel Banya", 24),
    m("SZR27", "Раднево", "Radnevo", 24),
    m("SZR31", "Стара Загора", "Stara Zagora", 24),
    m("SZR36", "Чирпан", "Chirpan", 24),
    // BG-25 Търговище
    m("TGV02", "Антоново", "Antonovo", 25),
    m("TGV22", "Омуртаг", "Omurtag", 25),
    m("TGV23", "Опака", "Opaka", 25),
    m("TGV24", "Попово", "Popovo", 25),
    m("TGV35", "Търговище", "Targovishte", 25),
    // BG-26 Хасково
    m("HKV09", "Димитровград", "Dimitrovgrad", 26),
    m("HKV11", "Ивайловград", "Ivaylovgrad", 26),
    m("HKV17", "Любимец", "Lyubimets", 26),
    m("HKV18", "Маджарово", "Madzharovo", 26),
    m("HKV19", "Минерални бани", "Mineralni Bani", 26),
    m("HKV28", "Свиленград", "Svilengrad", 26),
    m("HKV29", "Симеоновград", "Simeonovgrad", 26),
    m("HKV30", "Стамболово", "Stambolovo", 26),
    m("HKV32", "Тополовград", "Topolovgrad", 26),
    m("HKV33", "Харманли", "Harmanli", 26),
    m("HKV34", "Хасково", "Haskovo", 26),
    // BG-27 Шумен
    m("SHU23", "Велики Преслав", "Veliki Preslav", 27),
    m("SHU07", "Венец", "Venets", 27),
    m("SHU10", "Върбица", "Varbitsa", 27),
    m("SHU18", "Каолиново", "Kaolinovo", 27),
    m("SHU19", "Каспичан", "Kaspichan", 27),
    m("SHU21", "Никола Козлево", "Nikola Kozlevo", 27),
    m("SHU22", "Нови пазар", "Novi Pazar", 27),
    m("SHU25", "Смядово", "Smyadovo", 27),
    m("SHU11", "Хитрино", "Hitrino", 27),
    m("SHU30", "Шумен", "Shumen", 27),
    // BG-28 Ямбол
    m("JAM03", "Болярово", "Bolyarovo", 28),
    m("JAM07", "Елхово", "Elhovo", 28),
    m("JAM22", "Стралджа", "Straldzha", 28),
    m("JAM25", "Тунджа", "Tundzha", 28),
    m("JAM26", "Ямбол", "Yambol", 28),
];

/// A municipality of Bulgaria. `parse` accepts only the 265 codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Municipality(&'static MunicipalityInfo);

impl Municipality {
    /// The municipality with this code, e.g. `PDV22` (case and spaces forgiven).
    pub fn parse(code: &str) -> Option<Self> {
        let code = code.trim().to_ascii_uppercase();
        MUNICIPALITIES
            .iter()
            .find(|m| m.code == code)
            .map(Municipality)
    }

    pub fn all() -> impl Iterator<Item = Municipality> {
        MUNICIPALITIES.iter().map(Municipality)
    }

    /// The municipalities of one region, alphabetically in Bulgarian.
    pub fn of(region: Region) -> impl Iterator<Item = Municipality> {
        Self::all().filter(move |m| m.region() == region)
    }

    pub fn code(self) -> &'static str {
        self.0.code
    }

    /// The municipality's name in Bulgarian (`bg`) or Latin letters (anything else).
    pub fn name(self, lang: &str) -> &'static str {
        if lang == "bg" { self.0.bg } else { self.0.en }
    }

    pub fn region(self) -> Region {
        Region::all()
            .nth(usize::from(self.0.region) - 1)
            .expect("every municipality's region is one of the 28")
    }

    /// In words, with its region: "община Марица, област Пловдив".
    pub fn describe(self, lang: &str) -> String {
        if lang == "bg" {
            format!(
                "община {}, област {}",
                self.name(lang),
                self.region().name(lang)
            )
        } else {
            format!(
                "{} municipality, {} region",
                self.name(lang),
                self.region().name(lang)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn there_are_265_municipalities_in_28_regions() {
        assert_eq!(Municipality::all().count(), 265);
        assert_eq!(Region::all().count(), 28);
        let codes: HashSet<_> = Municipality::all().map(|m| m.code()).collect();
        assert_eq!(codes.len(), 265, "codes are unique");
        for m in Municipality::all() {
            // The region exists, and the code's letters are the region's.
            let r = m.region();
            assert_eq!(Region::parse(r.code()), Some(r));
            let prefix = &m.code()[..3];
            assert!(
                Municipality::of(r).all(|o| o.code().starts_with(prefix)),
                "{} does not share its region's prefix",
                m.code()
            );
            assert!(!m.name("bg").is_empty() && m.name("en").is_ascii());
        }
        // Every region has at least one municipality, and their counts are the
        // country's (Sofia City is one municipality, Sofia Province 22).
        let counts: Vec<usize> = Region::all().map(|r| Municipality::of(r).count()).collect();
        assert_eq!(
            counts,
            [
                14, 13, 12, 10, 11, 10, 4, 8, 7, 9, 8, 11, 12, 6, 11, 18, 7, 8, 7, 4, 10, 1, 22,
                11, 5, 11, 10, 5
            ]
        );
    }

    #[test]
    fn known_municipalities_are_where_they_belong() {
        let at = |code: &str| {
            let m = Municipality::parse(code).unwrap();
            (m.name("bg"), m.name("en"), m.region().code())
        };
        assert_eq!(at("SOF46"), ("Столична", "Stolichna", "BG-22"));
        assert_eq!(at("PDV22"), ("Пловдив", "Plovdiv", "BG-16"));
        assert_eq!(at("pdv17"), ("Марица", "Maritsa", "BG-16"));
        assert_eq!(at("VAR06"), ("Варна", "Varna", "BG-03"));
        assert_eq!(at("BGS04"), ("Бургас", "Burgas", "BG-02"));
        assert_eq!(at("KNL48"), ("Дупница", "Dupnitsa", "BG-10"));
        assert_eq!(at("SFO39"), ("Самоков", "Samokov", "BG-23"));
        assert_eq!(at("HKV34"), ("Хасково", "Haskovo", "BG-26"));
        assert_eq!(at("PAZ43"), ("Сърница", "Sarnitsa", "BG-13"));
        assert_eq!(at("DOB15"), ("Добричка", "Dobrichka", "BG-08"));
        // Two municipalities called Byala, in Varna and in Ruse.
        let byala: Vec<_> = Municipality::all()
            .filter(|m| m.name("en") == "Byala")
            .map(|m| m.region().code())
            .collect();
        assert_eq!(byala, ["BG-03", "BG-18"]);
        assert_eq!(Municipality::parse("XYZ01"), None);
        assert_eq!(
            Municipality::parse("PDV17").unwrap().describe("bg"),
            "община Марица, област Пловдив"
        );
    }
}
