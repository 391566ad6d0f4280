//! The usage and expiry sync's SQL: one statement mirrors a whole page of panel users, and the
//! sweep's cursor moves only by compare-and-set (`panel_sync`).

use serde::Deserialize;
use serde_json::json;

use crate::db::{first, Db};
use crate::shop::fulfil::PanelRecord;
use crate::shop::store::StoreError;
use crate::shop::sync::{Page, SyncStore};
use crate::stmt;

use super::SqlStore;

/// The page as one bound JSON array, `[id, expiry, status, used, limit, link, short uuid]` per
/// user: one statement and one round trip mirror a whole page, and only rows that differ are
/// written (D1 bills written rows).
pub fn page_json(users: &[PanelRecord]) -> Result<String, serde_json::Error> {
    let rows: Vec<_> = users
        .iter()
        .map(|u| {
            json!([
                u.panel_user_id,
                u.expires_at,
                u.status,
                u.traffic_used_bytes,
                u.traffic_limit_bytes,
                u.subscription_url,
                u.short_uuid
            ])
        })
        .collect();
    serde_json::to_string(&rows)
}

impl<D: Db> SyncStore for SqlStore<D> {
    async fn begin_sweep(&self, now: i64, stalled_before: i64) -> Result<Option<Page>, StoreError> {
        #[derive(Deserialize)]
        struct Row {
            sweep: i64,
            cursor: i64,
        }
        // Idle (cursor NULL) → a new sweep from the start; running but silent since
        // `stalled_before` → the same sweep resumes where it stopped; running → nothing.
        let sql = crate::sql!("INSERT INTO panel_sync (id, sweep, cursor, pages, mirrored, started_at, updated_at)
                   VALUES (1, 1, 0, 0, 0, ?1, ?1)
                   ON CONFLICT (id) DO UPDATE SET
                       sweep = CASE WHEN panel_sync.cursor IS NULL THEN panel_sync.sweep + 1 ELSE panel_sync.sweep END,
                       pages = CASE WHEN panel_sync.cursor IS NULL THEN 0 ELSE panel_sync.pages END,
                       mirrored = CASE WHEN panel_sync.cursor IS NULL THEN 0 ELSE panel_sync.mirrored END,
                       started_at = CASE WHEN panel_sync.cursor IS NULL THEN ?1 ELSE panel_sync.started_at END,
                       cursor = COALESCE(panel_sync.cursor, 0),
                       updated_at = ?1
                   WHERE panel_sync.cursor IS NULL OR panel_sync.updated_at < ?2
                   RETURNING sweep, cursor");
        let row: Option<Row> = first(&self.db, &stmt!(sql, now, stalled_before)).await?;
        Ok(row.map(|r| Page { sweep: r.sweep, cursor: r.cursor }))
    }

    async fn mirror_page(&self, users: &[PanelRecord], seen_at: i64) -> Result<u64, StoreError> {
        if users.is_empty() {
            return Ok(0);
        }
        let sql = crate::sql!("UPDATE users SET expires_at = p.expires_at, panel_status = p.status,
                       traffic_used_bytes = p.used, traffic_limit_bytes = p.lim,
                       subscription_url = p.url, panel_short_uuid = p.short_uuid,
                       panel_seen_at = ?2, updated_at = ?2
                   FROM (SELECT value ->> 0 AS id, value ->> 1 AS expires_at, value ->> 2 AS status,
                                value ->> 3 AS used, value ->> 4 AS lim, value ->> 5 AS url,
                                value ->> 6 AS short_uuid
                         FROM json_each(?1)) AS p
                   WHERE users.panel_user_id = p.id
                     AND COALESCE(users.panel_status, '') <> 'DELETED'
                     AND (users.provisioning_until IS NULL OR users.provisioning_until < ?2)
                     AND (users.panel_seen_at IS NULL OR users.panel_seen_at <= ?2)
                     AND (users.expires_at IS NOT p.expires_at OR users.panel_status IS NOT p.status
                          OR users.traffic_used_bytes IS NOT p.used OR users.traffic_limit_bytes IS NOT p.lim
                          OR users.subscription_url IS NOT p.url OR users.panel_short_uuid IS NOT p.short_uuid)");
        let page = page_json(users).map_err(StoreError::invalid)?;
        Ok(self.db.run(&stmt!(sql, page, seen_at)).await? as u64)
    }

    async fn advance_sweep(
        &self,
        from: &Page,
        next: Option<i64>,
        mirrored: u64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mirrored = i64::try_from(mirrored).map_err(StoreError::invalid)?;
        let sql = crate::sql!(
            "UPDATE panel_sync SET cursor = ?3, pages = pages + 1, mirrored = mirrored + ?4, updated_at = ?5,
                       finished_at = CASE WHEN ?3 IS NULL THEN ?5 ELSE finished_at END
                   WHERE id = 1 AND sweep = ?1 AND cursor = ?2"
        );
        Ok(self.db.run(&stmt!(sql, from.sweep, from.cursor, next, mirrored, now)).await? == 1)
    }
}
