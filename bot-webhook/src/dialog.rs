//! Dialog state: a multi-step flow that waits for the user's next plain message (a promo code
//! now; a broadcast text for admins later). Stored on the user's row by the shop's
//! `UserStore::set_dialog` with an expiry, so it survives between webhook calls (each runs in
//! a fresh invocation) and costs no extra read: it comes with the user.
//!
//! A dialog ends when it is answered, when the user runs a command or presses a button, or
//! when it expires ([`TTL_SECONDS`]): a code typed an hour later is just text.

use wavegate_shared::shop::store::StoredDialog;

/// How long a flow waits for its answer.
pub const TTL_SECONDS: i64 = 600;

/// What the bot is waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialog {
    /// `/promo` without a code: the next message is the code.
    PromoCode,
    /// An admin's `/broadcast`: the next message is the text to send.
    BroadcastText,
}

impl Dialog {
    const ALL: [Dialog; 2] = [Dialog::PromoCode, Dialog::BroadcastText];

    fn code(self) -> &'static str {
        match self {
            Dialog::PromoCode => "promo_code",
            Dialog::BroadcastText => "broadcast_text",
        }
    }

    /// The stored form, waiting from `now`.
    pub fn stored(self, now: i64) -> StoredDialog {
        StoredDialog { state: self.code().to_string(), expires_at: now + TTL_SECONDS }
    }

    /// The dialog a stored state names while it is still waiting; a state this version does
    /// not know (written by a newer one) or an expired one is no dialog.
    pub fn active(stored: Option<&StoredDialog>, now: i64) -> Option<Dialog> {
        let state = stored?.active(now)?;
        Dialog::ALL.into_iter().find(|d| d.code() == state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_dialog_is_active_until_it_expires_and_unknown_states_are_none() {
        let now = 1_767_225_600;
        let stored = Dialog::PromoCode.stored(now);
        assert_eq!(Dialog::active(Some(&stored), now + TTL_SECONDS - 1), Some(Dialog::PromoCode));
        assert_eq!(Dialog::active(Some(&stored), now + TTL_SECONDS), None);
        let unknown = StoredDialog { state: "broadcast_v9".into(), expires_at: now + 60 };
        assert_eq!(Dialog::active(Some(&unknown), now), None);
        assert_eq!(Dialog::active(None, now), None);
    }
}
