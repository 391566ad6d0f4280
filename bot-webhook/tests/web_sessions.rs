//! Cabinet sessions at the store: refresh tokens rotate once, a reuse revokes the family — the
//! real SQL on SQLite with the real migrations.

use futures::executor::block_on;
use wavegate_shared::db::sqlite::SqliteDb;
use wavegate_shared::db::{Arg, Db, Statement};
use wavegate_shared::shop::sql::SqlStore;
use wavegate_shared::web::session::{Rotation, SessionStore, Via, REFRESH_TTL};

fn store_with_user(telegram_id: i64) -> (SqlStore<SqliteDb>, i64) {
    let store = SqlStore::new(SqliteDb::migrated());
    let insert = Statement {
        sql: "INSERT INTO users (telegram_id, first_name, referral_code, created_at, updated_at)
              VALUES (?1, 'T', 'abcdefgh', 1, 1)",
        args: vec![Arg::Int(telegram_id)],
    };
    block_on(store.db.run(&insert)).expect("user");
    let row = block_on(store.db.first(&Statement { sql: "SELECT id FROM users", args: vec![] }))
        .expect("read")
        .expect("row");
    let id = row.get("id").and_then(|v| v.as_i64()).expect("id");
    (store, id)
}

#[test]
fn a_refresh_token_rotates_once_and_its_reuse_revokes_the_family() {
    let (store, user_id) = store_with_user(42);
    block_on(async {
        store.start_session("fam", user_id, Via::Widget, "h1", 100).await.expect("start");
        let first = store.rotate_refresh("h1", "h2", 110).await.expect("rotate");
        assert_eq!(first, Rotation::Rotated { family: "fam".into(), user_id, telegram_id: 42 });
        // The successor works once too.
        assert!(matches!(store.rotate_refresh("h2", "h3", 120).await, Ok(Rotation::Rotated { .. })));
        // h1 again: a stolen copy. The family is revoked, so h3 is dead as well.
        assert_eq!(
            store.rotate_refresh("h1", "h4", 130).await.expect("reuse"),
            Rotation::Reused { family: "fam".into() }
        );
        assert_eq!(store.rotate_refresh("h3", "h5", 140).await.expect("after"), Rotation::Invalid);
        assert_eq!(store.rotate_refresh("unknown", "h6", 140).await.expect("unknown"), Rotation::Invalid);
    });
}

#[test]
fn a_reuse_within_the_grace_seconds_is_refused_without_ending_the_sign_in() {
    let (store, user_id) = store_with_user(42);
    block_on(async {
        store.start_session("fam", user_id, Via::Widget, "h1", 100).await.expect("start");
        assert!(matches!(store.rotate_refresh("h1", "h2", 110).await, Ok(Rotation::Rotated { .. })));
        // A second tab with the same token 5 s later: refused, the sign-in goes on.
        assert_eq!(store.rotate_refresh("h1", "h3", 115).await.expect("race"), Rotation::Invalid);
        assert!(store.family_live("fam").await.expect("live"));
        assert!(matches!(store.rotate_refresh("h2", "h4", 116).await, Ok(Rotation::Rotated { .. })));
        // Logout by the refresh token alone ends it.
        store.revoke_by_refresh("h4", 120).await.expect("logout");
        assert!(!store.family_live("fam").await.expect("live"));
    });
}

#[test]
fn an_expired_or_revoked_token_is_invalid() {
    let (store, user_id) = store_with_user(42);
    block_on(async {
        store.start_session("a", user_id, Via::WebApp, "ha", 100).await.expect("start");
        assert_eq!(
            store.rotate_refresh("ha", "hb", 100 + REFRESH_TTL).await.expect("late"),
            Rotation::Invalid
        );
        store.start_session("b", user_id, Via::Widget, "hc", 100).await.expect("start");
        store.revoke_family("b", 150).await.expect("revoke");
        assert_eq!(store.rotate_refresh("hc", "hd", 160).await.expect("revoked"), Rotation::Invalid);
    });
}

#[test]
fn housekeeping_forgets_expired_refresh_tokens_and_their_empty_sign_ins() {
    let (store, user_id) = store_with_user(42);
    block_on(async {
        store.start_session("old", user_id, Via::Widget, "h-old", 100).await.expect("start");
        store.start_session("new", user_id, Via::Widget, "h-new", 100 + REFRESH_TTL).await.expect("start");
        store.prune(100 + REFRESH_TTL + 1).await.expect("prune");
        let left = store
            .db
            .all(&Statement { sql: "SELECT id FROM session_families", args: vec![] })
            .await
            .expect("read");
        assert_eq!(left.len(), 1);
        assert!(matches!(
            store.rotate_refresh("h-new", "h2", 100 + REFRESH_TTL + 2).await,
            Ok(Rotation::Rotated { .. })
        ));
    });
}
