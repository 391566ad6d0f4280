//! [`UserStore`] in SQL.

use serde::Deserialize;
use serde_json::json;

use crate::db::{first, Db, Statement};
use crate::domain::{ReferralCode, TelegramUserId};
use crate::shop::account::Standing;
use crate::shop::store::{
    BotUser, ReferralOutcome, StoreError, StoredDialog, TelegramProfile, Upsert, Upserted, UserStore,
};
use crate::stmt;

use super::SqlStore;

#[derive(Deserialize)]
struct UserRow {
    id: i64,
    telegram_id: i64,
    first_name: String,
    locale: Option<String>,
    language_code: Option<String>,
    referral_code: String,
    referred_by: Option<i64>,
    dialog: Option<String>,
    dialog_expires_at: Option<i64>,
}

impl TryFrom<UserRow> for BotUser {
    type Error = StoreError;

    fn try_from(row: UserRow) -> Result<Self, StoreError> {
        Ok(BotUser {
            id: row.id,
            telegram_id: TelegramUserId::parse(row.telegram_id).map_err(StoreError::invalid)?,
            first_name: row.first_name,
            locale: row.locale,
            language_code: row.language_code,
            referral_code: ReferralCode::parse(&row.referral_code).map_err(StoreError::invalid)?,
            referred_by: row.referred_by,
            dialog: match (row.dialog, row.dialog_expires_at) {
                (Some(state), Some(expires_at)) => Some(StoredDialog { state, expires_at }),
                _ => None,
            },
        })
    }
}

/// `?1`–`?6` of the user upsert statements, and `?7` the referral code when inserting.
fn with_profile(sql: &'static str, profile: &TelegramProfile, now: i64, code: Option<&str>) -> Statement {
    let mut statement = stmt!(
        sql,
        profile.telegram_id.get(),
        profile.username.as_deref(),
        profile.first_name.as_str(),
        profile.last_name.as_deref(),
        profile.language_code.as_deref(),
        now
    );
    statement.args.extend(code.map(Into::into));
    statement
}

/// Attempts at drawing an unused referral code; with 31^8 codes, a second draw is already rare.
const CODE_ATTEMPTS: usize = 3;

impl<D: Db> UserStore for SqlStore<D> {
    async fn upsert_user(
        &self,
        profile: &TelegramProfile,
        fresh_code: &dyn Fn() -> ReferralCode,
        now: i64,
    ) -> Result<Upsert, StoreError> {
        #[derive(Deserialize)]
        struct Refreshed {
            #[serde(flatten)]
            user: UserRow,
            panel_user_id: Option<i64>,
            expires_at: Option<i64>,
            trial_used: i64,
            has_purchases: i64,
        }
        let tg = profile.telegram_id.get();
        // A returning user: refreshed and read back, with the trial rule's inputs, in one trip.
        // Whoever writes to the bot can be written to: a block recorded from a 403 ends here.
        let refresh = concat!(
            "UPDATE users SET username = ?2, first_name = ?3, last_name = ?4, language_code = ?5, updated_at = ?6,
                              is_blocked = 0
             WHERE telegram_id = ?1
             RETURNING id, telegram_id, first_name, locale, language_code, referral_code, referred_by,
                       dialog, dialog_expires_at, panel_user_id, expires_at, trial_used, ",
            has_purchases!("users.id"),
            " AS has_purchases"
        );
        if let Some(row) = first::<Refreshed>(&self.db, &with_profile(refresh, profile, now, None)).await? {
            let standing = Standing {
                panel_user_id: row.panel_user_id,
                expires_at: row.expires_at,
                trial_used: row.trial_used == 1,
                has_purchases: row.has_purchases == 1,
            };
            return Ok(Upsert { user: BotUser::try_from(row.user)?, upserted: Upserted::Updated, standing });
        }
        // New user. `DO NOTHING` covers both a concurrent first /start (telegram_id) and a
        // referral-code collision (referral_code); the re-read below tells them apart.
        let insert = crate::sql!(
            "INSERT INTO users (telegram_id, username, first_name, last_name, language_code,
                      created_at, updated_at, referral_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)
                      ON CONFLICT DO NOTHING"
        );
        let mut upserted = Upserted::Updated;
        for _ in 0..CODE_ATTEMPTS {
            let code = fresh_code();
            if self.db.run(&with_profile(insert, profile, now, Some(code.as_str()))).await? == 1 {
                upserted = Upserted::Created;
                break;
            }
            if self.find_user(profile.telegram_id).await?.is_some() {
                break; // a concurrent request created the user
            }
        }
        let user = self
            .find_user(profile.telegram_id)
            .await?
            .ok_or_else(|| StoreError::Unavailable("the user upsert did not persist".into()))?;
        if upserted == Upserted::Created {
            self.audit(&format!("user:{tg}"), "user.created", &format!("user:{}", user.id), json!({}), now)
                .await?;
        }
        // Made a moment ago (by this request or a concurrent one): no subscription, no orders.
        Ok(Upsert { user, upserted, standing: Standing::default() })
    }

    async fn find_user(&self, telegram_id: TelegramUserId) -> Result<Option<BotUser>, StoreError> {
        let sql = crate::sql!(
            "SELECT id, telegram_id, first_name, locale, language_code, referral_code, referred_by,
                          dialog, dialog_expires_at
                   FROM users WHERE telegram_id = ?1"
        );
        let row: Option<UserRow> = first(&self.db, &stmt!(sql, telegram_id.get())).await?;
        row.map(BotUser::try_from).transpose()
    }

    async fn record_referral(
        &self,
        user_id: i64,
        code: &ReferralCode,
        now: i64,
    ) -> Result<ReferralOutcome, StoreError> {
        // One statement decides and writes, so two concurrent /start ref_… cannot both win:
        // only a user without a referrer and without a completed payment is linked, never to
        // themselves, and never to someone they referred (a cycle).
        let sql = crate::sql!("UPDATE users SET referred_by = r.id, referred_at = ?3, updated_at = ?3
                   FROM (SELECT id, referred_by FROM users WHERE referral_code = ?2) AS r
                   WHERE users.id = ?1 AND users.referred_by IS NULL AND r.id <> users.id
                     AND (r.referred_by IS NULL OR r.referred_by <> users.id)
                     AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.user_id = users.id AND p.status = 'completed')
                   RETURNING referred_by AS referrer_id");
        #[derive(Deserialize)]
        struct Linked {
            referrer_id: i64,
        }
        let linked: Option<Linked> = first(&self.db, &stmt!(sql, user_id, code.as_str(), now)).await?;
        let Some(Linked { referrer_id }) = linked else {
            return Ok(ReferralOutcome::NotEligible);
        };
        let details = json!({ "referrer_id": referrer_id });
        self.audit("system", "referral.recorded", &format!("user:{user_id}"), details, now).await?;
        Ok(ReferralOutcome::Recorded { referrer_id })
    }

    async fn set_locale(&self, user_id: i64, locale: &str, now: i64) -> Result<(), StoreError> {
        let sql = "UPDATE users SET locale = ?2, updated_at = ?3 WHERE id = ?1";
        self.db.run(&stmt!(sql, user_id, locale, now)).await?;
        Ok(())
    }

    async fn set_dialog(&self, user_id: i64, dialog: Option<&StoredDialog>) -> Result<(), StoreError> {
        let sql = "UPDATE users SET dialog = ?2, dialog_expires_at = ?3 WHERE id = ?1";
        let (state, until) = dialog.map(|d| (d.state.as_str(), d.expires_at)).unzip();
        self.db.run(&stmt!(sql, user_id, state, until)).await?;
        Ok(())
    }

    async fn count_referred(&self, user_id: i64) -> Result<i64, StoreError> {
        #[derive(Deserialize)]
        struct Count {
            n: i64,
        }
        let sql = "SELECT COUNT(*) AS n FROM users WHERE referred_by = ?1";
        let row: Option<Count> = first(&self.db, &stmt!(sql, user_id)).await?;
        Ok(row.map_or(0, |c| c.n))
    }

    async fn set_blocked(
        &self,
        telegram_id: TelegramUserId,
        blocked: bool,
        now: i64,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE users SET is_blocked = ?2, updated_at = ?3 WHERE telegram_id = ?1";
        self.db.run(&stmt!(sql, telegram_id.get(), blocked, now)).await?;
        Ok(())
    }
}
