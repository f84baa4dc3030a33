//! Safe return of a person from abroad: how they travel home and with whom. Only
//! structured values here, so returns can be counted; the city is the one free field.

vocabulary! {
    /// Who accompanies the person on the journey.
    pub enum Escort in "escort" {
        Unaccompanied = "none", "без придружител", "unaccompanied";
        Iom = "iom", "служител на МОМ", "IOM staff";
        Ngo = "ngo", "неправителствена организация", "non-governmental organisation";
        Police = "police", "полиция", "police";
        SocialWorker = "social_worker", "социален работник", "social worker";
        Family = "family", "член на семейството", "family member";
    }
}

vocabulary! {
    /// The document the person travels on.
    pub enum TravelDocument in "documents" {
        Passport = "passport", "паспорт", "passport";
        IdCard = "id_card", "лична карта", "identity card";
        /// Issued by a consulate when the person's own documents were taken.
        TemporaryPassport = "temporary_passport", "временен паспорт", "emergency travel document";
        NoneYet = "none", "няма документ", "no document yet";
    }
}

vocabulary! {
    pub enum Transport in "transport" {
        Air = "air", "самолет", "air";
        Bus = "bus", "автобус", "bus";
        Train = "train", "влак", "train";
        Car = "car", "автомобил", "car";
        Other = "other", "друг", "other";
    }
}
