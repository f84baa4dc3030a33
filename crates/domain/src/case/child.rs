//! Children: proposals under Art. 76a of the Bulgarian Personal Documents Act (a bar
//! on a child leaving the country, proposed to protect them), and where they stand.

vocabulary! {
    pub enum ProposalStatus in "proposal_status" {
        Submitted = "submitted", "внесено", "submitted";
        Granted = "granted", "уважено", "granted";
        Refused = "refused", "отказано", "refused";
        Withdrawn = "withdrawn", "оттеглено", "withdrawn";
    }
}
