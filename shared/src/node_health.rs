//! Node health: what changed since the last check, so admins hear about a node going down or
//! coming back exactly once, and nothing while it stays the same.
//!
//! The state is a row per watched thing in D1 (`node_states`), read before a check and
//! written after it ([`load`], [`save`]). Two writers share it — the 5-minute cron and the
//! panel's node webhooks — so a change is written with `WHERE up <> new`: whichever writes it
//! first owns the alert, and the other finds nothing to change. The first run (no state yet)
//! only records the baseline. Disabled nodes are not watched: an admin switched them off on purpose.
//! The panel itself is watched as the entry [`PANEL`]: unreachable or older than 3.0 is "down".

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::db::{all, Db, DbError, Statement};
use crate::remnawave::Node;
use crate::stmt;

/// The key of the panel's own entry in the state.
pub const PANEL: &str = "panel";

/// Last seen state per watched thing (node uuid or [`PANEL`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HealthState {
    pub entries: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub name: String,
    pub up: bool,
}

/// One change worth an alert.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The watched thing's key (node uuid or [`PANEL`]).
    pub key: String,
    pub name: String,
    pub up: bool,
    /// Why it is down (the panel's error), when known.
    pub detail: Option<String>,
}

/// What this run observed.
pub enum Observation<'a> {
    Nodes(&'a [Node]),
    /// The panel could not be asked (unreachable, unauthorized, too old): nodes are unknown
    /// and keep their last state.
    PanelDown(String),
}

/// Computes the new state and the changes to announce. `previous` is `None` on the first run.
pub fn check(previous: Option<&HealthState>, observation: Observation) -> (HealthState, Vec<Change>) {
    let mut next = previous.cloned().unwrap_or_default();
    let mut seen: Vec<(String, Entry, Option<String>)> = Vec::new();
    match observation {
        Observation::PanelDown(reason) => {
            seen.push((PANEL.into(), Entry { name: "Remnawave panel".into(), up: false }, Some(reason)));
        }
        Observation::Nodes(nodes) => {
            seen.push((PANEL.into(), Entry { name: "Remnawave panel".into(), up: true }, None));
            let watched: Vec<&Node> = nodes.iter().filter(|n| !n.is_disabled).collect();
            // Nodes deleted or disabled on the panel are forgotten silently.
            next.entries.retain(|key, _| key == PANEL || watched.iter().any(|n| &n.uuid == key));
            for node in watched {
                let entry =
                    Entry { name: format!("{} ({})", node.name, node.country_code), up: node.is_connected };
                seen.push((node.uuid.clone(), entry, None));
            }
        }
    }
    let mut changes = Vec::new();
    for (key, entry, detail) in seen {
        let before = next.entries.insert(key.clone(), entry.clone());
        let changed = match (previous, before) {
            (None, _) => false, // first run: baseline only
            (Some(_), Some(old)) => old.up != entry.up,
            // A node added since the last run: announce only if it starts out down.
            (Some(_), None) => !entry.up,
        };
        if changed {
            changes.push(Change { key, name: entry.name, up: entry.up, detail });
        }
    }
    (next, changes)
}

/// One node as the panel's own webhook reports it (`node.connection_lost` / `_restored`): the
/// same state the cron keeps, so whoever sees a change first announces it and the other stays
/// quiet. A node the state has never seen is announced only if it is down.
pub fn check_node(previous: Option<&HealthState>, node: &Node) -> (HealthState, Option<Change>) {
    // Like the cron: a disabled node is not watched, and with no state yet this only records.
    let Some(previous) = previous.filter(|_| !node.is_disabled) else {
        let mut next = previous.cloned().unwrap_or_default();
        if !node.is_disabled {
            next.entries.insert(
                node.uuid.clone(),
                Entry { name: format!("{} ({})", node.name, node.country_code), up: node.is_connected },
            );
        }
        return (next, None);
    };
    let mut next = previous.clone();
    let entry = Entry { name: format!("{} ({})", node.name, node.country_code), up: node.is_connected };
    let changed = match next.entries.insert(node.uuid.clone(), entry.clone()) {
        Some(old) => old.up != entry.up,
        None => !entry.up,
    };
    (next, changed.then_some(Change { key: node.uuid.clone(), name: entry.name, up: entry.up, detail: None }))
}

/// The saved state, or `None` before the first run.
pub async fn load(db: &impl Db) -> Result<Option<HealthState>, DbError> {
    #[derive(Deserialize)]
    struct Row {
        key: String,
        name: String,
        up: i64,
    }
    let rows: Vec<Row> = all(db, &stmt!("SELECT key, name, up FROM node_states")).await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let entries = rows.into_iter().map(|r| (r.key, Entry { name: r.name, up: r.up == 1 })).collect();
    Ok(Some(HealthState { entries }))
}

/// Saves `next` in one batch and returns the changes this writer won: a change is written only
/// where the row still says the opposite, so of two writers that saw the same change, one
/// gets it. Entries without a change are added if missing and renamed, never flipped (a stale
/// read must not undo the other writer's change). `forget_others` (a full observation, the
/// cron's) deletes rows for things no longer watched.
pub async fn save(
    db: &impl Db,
    next: &HealthState,
    changes: Vec<Change>,
    forget_others: bool,
    now: i64,
) -> Result<Vec<Change>, DbError> {
    let mut statements: Vec<Statement> = changes
        .iter()
        .map(|c| {
            stmt!(
                "INSERT INTO node_states (key, name, up, changed_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (key) DO UPDATE SET up = excluded.up, name = excluded.name,
                     changed_at = excluded.changed_at
                 WHERE node_states.up <> excluded.up",
                c.key.as_str(),
                c.name.as_str(),
                c.up,
                now
            )
        })
        .collect();
    for (key, entry) in next.entries.iter().filter(|(k, _)| !changes.iter().any(|c| &c.key == *k)) {
        statements.push(stmt!(
            "INSERT INTO node_states (key, name, up, changed_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (key) DO UPDATE SET name = excluded.name WHERE node_states.name <> excluded.name",
            key.as_str(),
            entry.name.as_str(),
            entry.up,
            now
        ));
    }
    if forget_others {
        let keys = serde_json::to_string(&next.entries.keys().collect::<Vec<_>>()).unwrap_or_default();
        statements
            .push(stmt!("DELETE FROM node_states WHERE key NOT IN (SELECT value FROM json_each(?1))", keys));
    }
    let written = db.batch(&statements).await?;
    Ok(changes.into_iter().zip(written).filter(|(_, n)| *n == 1).map(|(c, _)| c).collect())
}

/// Gives a won change back (its alert could not be queued), so the next check finds it again.
pub async fn undo(db: &impl Db, change: &Change) -> Result<(), DbError> {
    let sql = "UPDATE node_states SET up = ?2 WHERE key = ?1 AND up = ?3";
    db.run(&stmt!(sql, change.key.as_str(), !change.up, change.up)).await.map(|_| ())
}

/// The admin alert for one change (admins get English: it is an operator tool).
pub fn alert_text(change: &Change) -> String {
    match (&change.up, &change.detail) {
        (true, _) => format!("✅ {} is back up.", change.name),
        (false, Some(detail)) => format!("🔴 {} is DOWN: {detail}", change.name),
        (false, None) => format!("🔴 {} is DOWN.", change.name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(uuid: &str, connected: bool, disabled: bool) -> Node {
        Node {
            uuid: uuid.into(),
            name: uuid.to_uppercase(),
            address: format!("{uuid}.example.com"),
            country_code: "DE".into(),
            is_connected: connected,
            is_disabled: disabled,
            users_online: Some(1),
        }
    }

    #[test]
    fn the_first_run_records_a_baseline_and_announces_nothing() {
        let (state, changes) = check(None, Observation::Nodes(&[node("a", false, false)]));
        assert!(changes.is_empty());
        assert!(!state.entries["a"].up && state.entries[PANEL].up);
    }

    #[test]
    fn a_node_going_down_and_recovering_is_announced_once_each() {
        let (s1, _) = check(None, Observation::Nodes(&[node("a", true, false)]));
        let (s2, down) = check(Some(&s1), Observation::Nodes(&[node("a", false, false)]));
        let (s3, still) = check(Some(&s2), Observation::Nodes(&[node("a", false, false)]));
        let (_, up) = check(Some(&s3), Observation::Nodes(&[node("a", true, false)]));
        assert_eq!(down.iter().map(|c| (c.name.as_str(), c.up)).collect::<Vec<_>>(), vec![("A (DE)", false)]);
        assert!(still.is_empty());
        assert_eq!(up.iter().map(|c| c.up).collect::<Vec<_>>(), vec![true]);
        assert_eq!(alert_text(&up[0]), "✅ A (DE) is back up.");
    }

    #[test]
    fn disabled_nodes_are_not_watched_and_new_nodes_are_announced_only_when_down() {
        let (s1, _) = check(None, Observation::Nodes(&[node("a", true, false)]));
        let (s2, changes) = check(
            Some(&s1),
            Observation::Nodes(&[node("a", false, true), node("b", true, false), node("c", false, false)]),
        );
        assert_eq!(changes.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), vec!["C (DE)"]);
        assert!(!s2.entries.contains_key("a"));
    }

    #[test]
    fn an_unreachable_panel_is_announced_and_nodes_keep_their_state() {
        let (s1, _) = check(None, Observation::Nodes(&[node("a", true, false)]));
        let (s2, changes) = check(Some(&s1), Observation::PanelDown("HTTP 503".into()));
        assert_eq!(alert_text(&changes[0]), "🔴 Remnawave panel is DOWN: HTTP 503");
        assert!(s2.entries["a"].up);
        let (_, back) = check(Some(&s2), Observation::Nodes(&[node("a", true, false)]));
        assert_eq!(
            back.iter().map(|c| (c.name.as_str(), c.up)).collect::<Vec<_>>(),
            vec![("Remnawave panel", true)]
        );
    }

    #[test]
    fn the_webhook_and_the_cron_announce_one_change_between_them() {
        let (state, _) = check(None, Observation::Nodes(&[node("a", true, false)]));
        // The webhook sees it go down first: one alert.
        let (state, change) = check_node(Some(&state), &node("a", false, false));
        assert_eq!(change.map(|c| c.up), Some(false));
        // The cron then sees the same: nothing.
        let (state, changes) = check(Some(&state), Observation::Nodes(&[node("a", false, false)]));
        assert!(changes.is_empty());
        // A repeated webhook: nothing; the recovery: one.
        assert!(check_node(Some(&state), &node("a", false, false)).1.is_none());
        let (state, change) = check_node(Some(&state), &node("a", true, false));
        assert_eq!(change.map(|c| c.up), Some(true));
        // With no state yet it only records; a disabled node is not watched.
        let (first, change) = check_node(None, &node("b", false, false));
        assert!(change.is_none() && first.entries.contains_key("b"));
        assert!(check_node(Some(&state), &node("c", false, true)).1.is_none());
    }
}
