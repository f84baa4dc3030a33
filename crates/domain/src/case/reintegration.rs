//! The reintegration plan: goals and the follow-up sessions that check on them.

vocabulary! {
    pub enum GoalStatus in "goal_status" {
        Open = "open", "в процес", "in progress";
        Achieved = "achieved", "постигната", "achieved";
        Dropped = "dropped", "отпаднала", "dropped";
    }
}

vocabulary! {
    /// How the person was doing at a follow-up session.
    pub enum FollowUpOutcome in "outcome" {
        Progressing = "progressing", "напредък", "progressing";
        Stable = "stable", "стабилно положение", "stable";
        Concern = "concern", "повод за безпокойство", "cause for concern";
        NoContact = "no_contact", "без връзка с лицето", "no contact with the person";
    }
}
