//! The Remnawave client against a scripted panel at the HTTP boundary: every status and error
//! case the callers branch on, the headers the panel's proxy check needs, and the retry policy.

use std::cell::RefCell;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use futures::executor::block_on;
use wavegate_shared::http::{HttpClient, HttpRequest, HttpResponse, Method, Sleeper, TransportError};
use wavegate_shared::remnawave::*;

/// Answers each request with the next scripted reply and records what it got.
struct ScriptedPanel {
    replies: RefCell<Vec<Result<HttpResponse, TransportError>>>,
    requests: RefCell<Vec<HttpRequest>>,
}

impl ScriptedPanel {
    fn new(replies: Vec<Result<HttpResponse, TransportError>>) -> Self {
        Self { replies: RefCell::new(replies), requests: RefCell::new(Vec::new()) }
    }

    fn request(&self, i: usize) -> HttpRequest {
        self.requests.borrow()[i].clone()
    }

    fn count(&self) -> usize {
        self.requests.borrow().len()
    }
}

impl HttpClient for ScriptedPanel {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.requests.borrow_mut().push(request);
        let mut replies = self.replies.borrow_mut();
        assert!(!replies.is_empty(), "the client sent more requests than scripted");
        replies.remove(0)
    }
}

#[derive(Default)]
struct RecordedSleeps(RefCell<Vec<Duration>>);

impl Sleeper for RecordedSleeps {
    async fn sleep(&self, duration: Duration) {
        self.0.borrow_mut().push(duration);
    }
}

fn reply(status: u16, body: &str) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse { status, body: body.as_bytes().to_vec() })
}

fn reset() -> Result<HttpResponse, TransportError> {
    Err(TransportError("connection reset".into()))
}

const USER: &str = r#"{"id":42,"shortUuid":"x7Kp2mQa9LdR4tVz","username":"tg_123456789","status":"ACTIVE",
 "trafficLimitBytes":107374182400,"trafficLimitStrategy":"MONTH","expireAt":"2026-12-31T23:59:59.000Z",
 "telegramId":123456789,"email":null,"description":"order #1001","tag":"SHOP","hwidDeviceLimit":3,
 "externalSquadUuid":null,"trojanPassword":"Qw3rTy9uIoP1aSdF","vlessUuid":"6b0c1c1e-2f7a-4a8e-9a0b-3f1d2c4e5a6b",
 "ssPassword":"Zx8cVb7nM6lK5jH4","lastTriggeredThreshold":0,"subRevokedAt":null,"lastTrafficResetAt":null,
 "createdAt":"2026-09-01T10:00:00.000Z","updatedAt":"2026-09-01T10:00:00.000Z",
 "subscriptionUrl":"https://sub.example.com/x7Kp2mQa9LdR4tVz",
 "activeInternalSquads":[{"uuid":"a1b2c3d4-0000-4000-8000-000000000001","name":"Default-Squad"}],
 "userTraffic":{"usedTrafficBytes":1024,"lifetimeUsedTrafficBytes":2048,"onlineAt":null,"firstConnectedAt":null,"lastConnectedNodeUuid":null}}"#;

fn ok_user() -> Result<HttpResponse, TransportError> {
    reply(200, &format!(r#"{{"response":{USER}}}"#))
}

fn error(status: u16, code: &str, message: &str) -> Result<HttpResponse, TransportError> {
    reply(
        status,
        &format!(
            r#"{{"timestamp":"2026-09-01T10:00:00.000Z","path":"/api/users","message":"{message}","errorCode":"{code}"}}"#
        ),
    )
}

fn new_user() -> CreateUser {
    CreateUser {
        username: "tg_123456789".into(),
        expire_at: Utc.with_ymd_and_hms(2026, 12, 31, 23, 59, 59).unwrap(),
        traffic_limit_bytes: 107_374_182_400,
        traffic_limit_strategy: TrafficLimitStrategy::Month,
        hwid_device_limit: Some(3),
        telegram_id: Some(123_456_789),
        description: Some("order #1001".into()),
        tag: Some("SHOP".into()),
        active_internal_squads: vec!["a1b2c3d4-0000-4000-8000-000000000001".into()],
    }
}

fn client<'a>(
    http: &'a ScriptedPanel,
    sleeps: &'a RecordedSleeps,
) -> RemnawaveClient<'a, ScriptedPanel, RecordedSleeps> {
    RemnawaveClient::new(http, sleeps, "http://panel.local:3000/", "panel-token")
}

fn header<'r>(request: &'r HttpRequest, name: &str) -> Option<&'r str> {
    request.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

#[test]
fn every_request_carries_the_bearer_token_and_the_forwarded_pair() {
    let http = ScriptedPanel::new(vec![ok_user()]);
    let sleeps = RecordedSleeps::default();
    block_on(client(&http, &sleeps).get_user(PanelUserId(42))).unwrap();
    let request = http.request(0);
    assert_eq!(request.url, "http://panel.local:3000/api/users/42");
    assert_eq!(header(&request, "authorization"), Some("Bearer panel-token"));
    assert_eq!(header(&request, "x-forwarded-proto"), Some("https"));
    assert!(header(&request, "x-forwarded-for").is_some_and(|v| !v.is_empty()));
}

#[test]
fn create_sends_the_contract_body_and_unwraps_the_created_user() {
    let http = ScriptedPanel::new(vec![reply(201, &format!(r#"{{"response":{USER}}}"#))]);
    let sleeps = RecordedSleeps::default();
    let user = block_on(client(&http, &sleeps).create_user(&new_user())).unwrap();
    assert_eq!(user.id, PanelUserId(42));
    assert_eq!(user.subscription_url, "https://sub.example.com/x7Kp2mQa9LdR4tVz");
    assert_eq!(user.user_traffic.used_traffic_bytes, 1024);
    let request = http.request(0);
    assert_eq!((request.method, request.url.as_str()), (Method::Post, "http://panel.local:3000/api/users"));
    let body: serde_json::Value = serde_json::from_slice(request.body.as_ref().unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"username":"tg_123456789","expireAt":"2026-12-31T23:59:59.000Z",
            "trafficLimitBytes":107374182400u64,"trafficLimitStrategy":"MONTH","hwidDeviceLimit":3,
            "telegramId":123456789,"description":"order #1001","tag":"SHOP",
            "activeInternalSquads":["a1b2c3d4-0000-4000-8000-000000000001"]})
    );
}

#[test]
fn a_taken_username_is_looked_up_and_reused() {
    let http = ScriptedPanel::new(vec![error(400, "A019", "User username already exists"), ok_user()]);
    let sleeps = RecordedSleeps::default();
    let (user, created) = block_on(create_or_reuse_user(&client(&http, &sleeps), &new_user())).unwrap();
    assert_eq!((user.id, created), (PanelUserId(42), Created::Reused));
    assert_eq!(http.request(1).url, "http://panel.local:3000/api/users/by-username/tg_123456789");
}

#[test]
fn not_found_lookups_are_none_and_not_found_actions_are_errors() {
    let http = ScriptedPanel::new(vec![
        error(404, "A063", "User with specified params not found"),
        error(404, "A025", "User not found"),
    ]);
    let sleeps = RecordedSleeps::default();
    let panel = client(&http, &sleeps);
    assert_eq!(block_on(panel.get_user_by_username("nobody")).unwrap(), None);
    assert_eq!(block_on(panel.disable_user(PanelUserId(9))), Err(PanelError::NotFound("A025".into())));
}

#[test]
fn a_bare_404_from_a_proxy_or_a_wrong_url_is_not_read_as_user_not_found() {
    // Express's own 404 (no such route) and a proxy's HTML page: neither names A063/A025.
    for body in [
        r#"{"message":"Cannot GET /api/users/by-username/tg_1","error":"Not Found","statusCode":404}"#,
        "<html>404</html>",
    ] {
        let http = ScriptedPanel::new(vec![reply(404, body), reply(404, body)]);
        let sleeps = RecordedSleeps::default();
        let panel = client(&http, &sleeps);
        let lookup = block_on(panel.get_user_by_username("tg_1"));
        assert!(matches!(lookup, Err(PanelError::Unexpected(ref m)) if m.contains("404")), "{lookup:?}");
        let action = block_on(panel.disable_user(PanelUserId(9)));
        assert!(matches!(action, Err(PanelError::Unexpected(_))), "{action:?}");
    }
}

#[test]
fn throttling_and_server_errors_are_retried_with_growing_waits() {
    let http = ScriptedPanel::new(vec![error(429, "", "Too many"), error(503, "A001", "down"), ok_user()]);
    let sleeps = RecordedSleeps::default();
    assert!(block_on(client(&http, &sleeps).get_user(PanelUserId(42))).unwrap().is_some());
    assert_eq!(http.count(), 3);
    assert_eq!(*sleeps.0.borrow(), vec![Duration::from_millis(200), Duration::from_millis(800)]);
}

#[test]
fn retries_are_bounded_and_end_as_unavailable() {
    let http = ScriptedPanel::new(vec![error(500, "A001", "x"), reset(), error(502, "", "bad gateway")]);
    let sleeps = RecordedSleeps::default();
    let err = block_on(client(&http, &sleeps).nodes()).unwrap_err();
    assert!(matches!(err, PanelError::Unavailable(_)) && err.is_retryable(), "{err:?}");
    assert_eq!(http.count(), 3);
}

#[test]
fn a_dropped_connection_is_retried_like_a_server_error() {
    let http = ScriptedPanel::new(vec![reset(), ok_user()]);
    let sleeps = RecordedSleeps::default();
    assert!(block_on(client(&http, &sleeps).get_user(PanelUserId(42))).is_ok());
}

#[test]
fn extend_is_not_repeated_after_a_server_error_that_may_have_applied_it() {
    let http = ScriptedPanel::new(vec![error(500, "A001", "x")]);
    let sleeps = RecordedSleeps::default();
    let err = block_on(client(&http, &sleeps).extend_user(PanelUserId(42), 30)).unwrap_err();
    assert!(matches!(err, PanelError::Unavailable(_)));
    assert_eq!(http.count(), 1);

    let http = ScriptedPanel::new(vec![error(429, "", "slow down"), ok_user()]);
    block_on(client(&http, &sleeps).extend_user(PanelUserId(42), 30)).unwrap();
    let body: serde_json::Value = serde_json::from_slice(http.request(1).body.as_ref().unwrap()).unwrap();
    assert_eq!(
        (http.request(1).url.as_str(), body),
        ("http://panel.local:3000/api/users/42/actions/extend", serde_json::json!({"days":30}))
    );
}

#[test]
fn auth_and_validation_failures_are_typed_and_never_retried() {
    let http = ScriptedPanel::new(vec![
        reply(401, r#"{"statusCode":401,"message":"Unauthorized"}"#),
        reply(403, r#"{"statusCode":403,"message":"Forbidden resource","error":"Forbidden"}"#),
        reply(400, r#"{"statusCode":400,"message":"Validation failed","errors":[{"path":["username"]}]}"#),
    ]);
    let sleeps = RecordedSleeps::default();
    let panel = client(&http, &sleeps);
    assert_eq!(block_on(panel.metadata()), Err(PanelError::Unauthorized));
    assert!(
        matches!(block_on(panel.system_stats()), Err(PanelError::Forbidden(p)) if p == "/api/system/stats")
    );
    let err = block_on(panel.create_user(&new_user())).unwrap_err();
    assert!(
        matches!(&err, PanelError::Rejected { code, message } if code == "validation" && message == "Validation failed"),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    assert_eq!(http.count(), 3);
    assert!(sleeps.0.borrow().is_empty());
}

#[test]
fn enabling_an_enabled_user_returns_the_user_instead_of_failing() {
    let http = ScriptedPanel::new(vec![error(400, "A030", "User already enabled"), ok_user()]);
    let sleeps = RecordedSleeps::default();
    let user = block_on(client(&http, &sleeps).enable_user(PanelUserId(42))).unwrap();
    assert_eq!(user.status, UserStatus::Active);
    assert_eq!(http.request(0).url, "http://panel.local:3000/api/users/42/actions/enable");
}

#[test]
fn user_actions_use_the_3x_routes() {
    let http = ScriptedPanel::new(vec![
        ok_user(),
        ok_user(),
        ok_user(),
        reply(200, r#"{"response":{"total":0,"devices":[]}}"#),
        reply(204, ""),
    ]);
    let sleeps = RecordedSleeps::default();
    let panel = client(&http, &sleeps);
    let id = PanelUserId(42);
    block_on(panel.disable_user(id)).unwrap();
    block_on(panel.revoke_subscription(id)).unwrap();
    block_on(panel.reset_traffic(id)).unwrap();
    block_on(panel.delete_all_devices(id)).unwrap();
    block_on(panel.delete_user(id)).unwrap();
    let seen: Vec<(Method, String)> = (0..5)
        .map(|i| (http.request(i).method, http.request(i).url.replace("http://panel.local:3000", "")))
        .collect();
    assert_eq!(
        seen,
        vec![
            (Method::Post, "/api/users/42/actions/disable".into()),
            (Method::Post, "/api/users/42/actions/revoke".into()),
            (Method::Post, "/api/users/42/actions/reset-traffic".into()),
            (Method::Post, "/api/hwid/devices/delete-all".into()),
            (Method::Delete, "/api/users/42".into()),
        ]
    );
    let body: serde_json::Value = serde_json::from_slice(http.request(3).body.as_ref().unwrap()).unwrap();
    assert_eq!(body, serde_json::json!({"userId":42}));
}

#[test]
fn update_sends_only_the_fields_to_change() {
    let http = ScriptedPanel::new(vec![ok_user()]);
    let sleeps = RecordedSleeps::default();
    let update = UpdateUser {
        id: Some(PanelUserId(42)),
        expire_at: Some(Utc.with_ymd_and_hms(2027, 1, 31, 23, 59, 59).unwrap()),
        traffic_limit_bytes: Some(0),
        status: Some(UserStatus::Active),
        ..UpdateUser::default()
    };
    block_on(client(&http, &sleeps).update_user(&update)).unwrap();
    let request = http.request(0);
    assert_eq!(request.method, Method::Patch);
    let body: serde_json::Value = serde_json::from_slice(request.body.as_ref().unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"id":42,"expireAt":"2027-01-31T23:59:59.000Z","trafficLimitBytes":0,"status":"ACTIVE"})
    );
}

#[test]
fn users_are_found_by_telegram_id_through_the_stream_route() {
    let http = ScriptedPanel::new(vec![reply(
        200,
        &format!(r#"{{"response":{{"users":[{USER}],"nextCursor":null,"hasMore":false}}}}"#),
    )]);
    let sleeps = RecordedSleeps::default();
    let users = block_on(client(&http, &sleeps).users_by_telegram_id(123456789)).unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(http.request(0).url, "http://panel.local:3000/api/users/stream?telegramId=123456789&size=10");
}

#[test]
fn metadata_squads_nodes_and_stats_parse_and_old_panels_are_refused() {
    let http = ScriptedPanel::new(vec![
        reply(200, r#"{"response":{"version":"3.4.4","build":{"time":"t","number":"1"},"git":{}}}"#),
        reply(
            200,
            r#"{"response":{"total":1,"internalSquads":[{"uuid":"a1b2c3d4-0000-4000-8000-000000000001","viewPosition":0,"name":"Default-Squad","tags":[],"info":{"membersCount":10,"inboundsCount":1},"inbounds":[],"createdAt":"2026-09-01T10:00:00.000Z","updatedAt":"2026-09-01T10:00:00.000Z"}]}}"#,
        ),
        reply(
            200,
            r#"{"response":[{"uuid":"n1","id":1,"name":"DE-1","address":"de1.example.com","port":2222,"countryCode":"DE","isConnected":false,"isDisabled":false,"isConnecting":false,"usersOnline":0}]}"#,
        ),
        reply(
            200,
            r#"{"response":{"cpu":{"cores":2},"memory":{"total":1,"free":1,"used":0},"uptime":5,"timestamp":1,"users":{"statusCounts":{"ACTIVE":3},"totalUsers":4},"onlineStats":{"lastDay":2,"lastWeek":3,"neverOnline":1,"onlineNow":1},"nodes":{"totalOnline":1,"totalBytesLifetime":"5"}}}"#,
        ),
    ]);
    let sleeps = RecordedSleeps::default();
    let panel = client(&http, &sleeps);
    let metadata = block_on(panel.metadata()).unwrap();
    assert!(check_version(&metadata).is_ok());
    assert_eq!(block_on(panel.internal_squads()).unwrap()[0].name, "Default-Squad");
    assert!(!block_on(panel.nodes()).unwrap()[0].is_connected);
    assert_eq!(block_on(panel.system_stats()).unwrap().users.total_users, 4);
    for (version, ok) in [("2.7.2", false), ("3.0.0", true), ("v3.1.1", true), ("nonsense", false)] {
        let result = check_version(&PanelMetadata { version: version.into() });
        assert_eq!(result.is_ok(), ok, "{version}");
    }
}

#[test]
fn a_body_that_breaks_the_contract_is_an_unexpected_response() {
    let http = ScriptedPanel::new(vec![reply(200, r#"{"response":{"id":"not-a-number"}}"#)]);
    let sleeps = RecordedSleeps::default();
    assert!(matches!(
        block_on(client(&http, &sleeps).get_user(PanelUserId(1))),
        Err(PanelError::Unexpected(_))
    ));
}
