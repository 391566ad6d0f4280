//! Cabinet sessions in SQL ([`SessionStore`]).

use serde::Deserialize;

use crate::db::{first, Db};
use crate::shop::store::StoreError;
use crate::stmt;
use crate::web::session::{Rotation, SessionStore, Via, REFRESH_TTL, REUSE_GRACE};

use super::SqlStore;

impl<D: Db> SessionStore for SqlStore<D> {
    async fn start_session(
        &self,
        family: &str,
        user_id: i64,
        via: Via,
        refresh_hash: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let family_row = stmt!(
            "INSERT INTO session_families (id, user_id, via, created_at) VALUES (?1, ?2, ?3, ?4)",
            family,
            user_id,
            via.code(),
            now
        );
        let token = stmt!(
            "INSERT INTO refresh_tokens (token_hash, family_id, expires_at, created_at) VALUES (?1, ?2, ?3, ?4)",
            refresh_hash,
            family,
            now + REFRESH_TTL,
            now
        );
        self.db.batch(&[family_row, token]).await?;
        Ok(())
    }

    async fn rotate_refresh(&self, old_hash: &str, new_hash: &str, now: i64) -> Result<Rotation, StoreError> {
        // One transaction: spend the token (naming its successor, so that only this request's
        // insert follows it), store the successor, or — a token already spent — revoke the
        // family. Two concurrent refreshes with one token: one rotates, the other is a reuse.
        let spend = stmt!(
            "UPDATE refresh_tokens SET used_at = ?3, replaced_by = ?2
             WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?3
               AND family_id IN (SELECT id FROM session_families WHERE revoked_at IS NULL)",
            old_hash,
            new_hash,
            now
        );
        let successor = stmt!(
            "INSERT INTO refresh_tokens (token_hash, family_id, expires_at, created_at)
             SELECT ?2, family_id, ?3, ?4 FROM refresh_tokens WHERE token_hash = ?1 AND replaced_by = ?2",
            old_hash,
            new_hash,
            now + REFRESH_TTL,
            now
        );
        let revoke = stmt!(
            "UPDATE session_families SET revoked_at = ?3
             WHERE revoked_at IS NULL AND id = (SELECT family_id FROM refresh_tokens
                 WHERE token_hash = ?1 AND used_at IS NOT NULL AND replaced_by IS NOT ?2 AND used_at < ?4)",
            old_hash,
            new_hash,
            now,
            now - REUSE_GRACE
        );
        let changed = self.db.batch(&[spend, successor, revoke]).await?;
        #[derive(Deserialize)]
        struct Row {
            family: String,
            user_id: i64,
            telegram_id: i64,
        }
        let row: Option<Row> = first(
            &self.db,
            &stmt!(
                "SELECT f.id AS family, f.user_id, u.telegram_id FROM refresh_tokens r
                 JOIN session_families f ON f.id = r.family_id JOIN users u ON u.id = f.user_id
                 WHERE r.token_hash = ?1",
                old_hash
            ),
        )
        .await?;
        let Some(row) = row else { return Ok(Rotation::Invalid) };
        Ok(match changed.as_slice() {
            [1, 1, _] => {
                Rotation::Rotated { family: row.family, user_id: row.user_id, telegram_id: row.telegram_id }
            }
            [_, _, 1] => Rotation::Reused { family: row.family },
            _ => Rotation::Invalid,
        })
    }

    async fn revoke_by_refresh(&self, refresh_hash: &str, now: i64) -> Result<(), StoreError> {
        let sql = "UPDATE session_families SET revoked_at = ?2 WHERE revoked_at IS NULL
                   AND id = (SELECT family_id FROM refresh_tokens WHERE token_hash = ?1)";
        self.db.run(&stmt!(sql, refresh_hash, now)).await?;
        Ok(())
    }

    async fn family_live(&self, family: &str) -> Result<bool, StoreError> {
        let sql = "SELECT 1 AS live FROM session_families WHERE id = ?1 AND revoked_at IS NULL";
        Ok(self.db.first(&stmt!(sql, family)).await?.is_some())
    }

    async fn revoke_family(&self, family: &str, now: i64) -> Result<(), StoreError> {
        let sql = "UPDATE session_families SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL";
        self.db.run(&stmt!(sql, family, now)).await?;
        Ok(())
    }
}
