use super::*;
use std::time::Duration;

fn url() -> Url {
    Url::parse("https://api.clickatell.com/rest/account/balance").unwrap()
}

fn response(status: u16, content_type: Option<&str>, body: &str) -> RawResponse {
    RawResponse {
        status,
        content_type: content_type.map(str::to_owned),
        retry_after: None,
        location: None,
        body: body.as_bytes().to_vec(),
        via_proxy: None,
    }
}

fn now() -> SystemTime {
    httpdate::parse_http_date("Sat, 28 Nov 2026 10:00:00 GMT").unwrap()
}

fn api_error(api: Api, r: &RawResponse) -> ApiError {
    match interpret(api, Format::Json, &url(), r, now()) {
        Err(FetchError::Api(e)) => e,
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[test]
fn success_bodies_for_each_api_and_format() {
    let rest_json = response(
        200,
        Some("application/json"),
        r#"{"data":{"balance":"300.50"}}"#,
    );
    let b = interpret(Api::Rest, Format::Json, &url(), &rest_json, now()).unwrap();
    assert_eq!(b.to_string(), "300.50 credits");

    let rest_xml = response(
        200,
        Some("application/xml; charset=utf-8"),
        "<?xml version=\"1.0\"?><response><data><balance>300.50</balance></data></response>",
    );
    let b = interpret(Api::Rest, Format::Xml, &url(), &rest_xml, now()).unwrap();
    assert_eq!(b.amount.to_string(), "300.50");

    let one = response(
        200,
        Some("application/json"),
        r#"{"balance": 1267.92865, "currency": "ZAR"}"#,
    );
    let b = interpret(Api::OneApi, Format::Xml, &url(), &one, now()).unwrap();
    assert_eq!(b.to_string(), "1267.92865 ZAR");

    let accepted = response(202, None, r#"{"data":{"balance":"1"}}"#);
    assert!(interpret(Api::Rest, Format::Json, &url(), &accepted, now()).is_ok());
}

#[test]
fn wrong_content_type_is_refused() {
    let html = response(200, Some("text/html"), r#"{"data":{"balance":"1"}}"#);
    assert!(matches!(
        interpret(Api::Rest, Format::Json, &url(), &html, now()),
        Err(FetchError::UnexpectedContentType { .. })
    ));
    let json_for_xml = response(200, Some("application/json"), r#"{"data":{"balance":"1"}}"#);
    assert!(matches!(
        interpret(Api::Rest, Format::Xml, &url(), &json_for_xml, now()),
        Err(FetchError::UnexpectedContentType { .. })
    ));
}

#[test]
fn malformed_success_bodies_are_errors() {
    for body in ["", "{", r#"{"data":{"balance":"abc"}}"#, r#"{"data":{}}"#] {
        let r = response(200, Some("application/json"), body);
        let err = interpret(Api::Rest, Format::Json, &url(), &r, now()).unwrap_err();
        assert!(matches!(err, FetchError::Malformed { .. }), "{body:?}");
        assert!(err.user_message().contains("not understood"));
    }
}

#[test]
fn every_documented_legacy_status_maps_to_a_kind() {
    use ApiErrorKind::*;
    let table: &[(u16, Option<&str>, ApiErrorKind, bool)] = &[
        (400, None, BadRequest, false),
        (400, Some("100"), BadRequest, false),
        (400, Some("101"), BadRequest, false),
        (401, None, TokenRejected, false),
        (401, Some("001"), TokenRejected, false),
        (401, Some("002"), TokenRejected, false),
        (401, Some("003"), TokenRejected, false),
        (401, Some("004"), AccountFrozen, false),
        (401, Some("007"), IpLockdown, false),
        (402, None, NoCredit, false),
        (402, Some("301"), NoCredit, false),
        (404, None, NotFound, false),
        (405, None, NotFound, false),
        (410, None, NotFound, false),
        (429, None, RateLimited, true),
        (500, Some("901"), Temporary, true),
        (503, None, Temporary, true),
        (502, None, Temporary, true),
        (418, None, Unexpected, false),
    ];
    for &(status, code, kind, transient) in table {
        let body = code
            .map(|c| format!(r#"{{"error":{{"code":"{c}","description":"Something"}}}}"#))
            .unwrap_or_default();
        let r = response(status, Some("application/json"), &body);
        let e = api_error(Api::Rest, &r);
        assert_eq!(e.kind, kind, "{status} {code:?}");
        assert_eq!(e.status, status);
        assert_eq!(e.code.as_deref(), code);
        assert_eq!(
            FetchError::Api(e).disposition() == Disposition::Retry,
            transient,
            "{status} {code:?}"
        );
    }
}

#[test]
fn every_documented_one_api_code_maps_to_a_kind() {
    use ApiErrorKind::*;
    let table: &[(u16, u32, ApiErrorKind)] = &[
        (401, 1, TokenRejected),
        (400, 2, AccountInactive),
        (401, 7, IpLockdown),
        (500, 18, Temporary),
        (503, 19, Temporary),
        (402, 20, NoCredit),
        (400, 43, RateLimited),
        (400, 46, DemoExpired),
    ];
    for &(status, code, kind) in table {
        let r = response(
            status,
            Some("application/json"),
            &format!(r#"{{"error":{{"code":{code},"description":"x"}}}}"#),
        );
        assert_eq!(api_error(Api::OneApi, &r).kind, kind, "{status}/{code}");
    }
}

#[test]
fn user_messages_say_what_to_do() {
    let cases: &[(u16, &str, &str)] = &[
        (401, "001", "Paste a new token"),
        (401, "007", "Allow this machine's public IP address"),
        (402, "301", "Top up"),
        (503, "901", "Try again later"),
        (401, "004", "Contact Clickatell support"),
    ];
    for &(status, code, fix) in cases {
        let r = response(
            status,
            Some("application/json"),
            &format!(r#"{{"error":{{"code":"{code}","description":"D"}}}}"#),
        );
        let msg = FetchError::Api(api_error(Api::Rest, &r)).user_message();
        assert!(msg.contains(fix), "{msg}");
        assert!(
            msg.contains(&format!("HTTP {status}, code {code}: D")),
            "{msg}"
        );
    }
}

#[test]
fn retry_after_is_read_as_seconds_or_date() {
    let mut r = response(429, None, "");
    r.retry_after = Some("30".into());
    let e = api_error(Api::Rest, &r);
    assert_eq!(e.retry_after, Some(Duration::from_secs(30)));
    assert!(FetchError::Api(e)
        .user_message()
        .contains("retry after 30 s"));
    r.retry_after = Some("Sat, 28 Nov 2026 10:02:00 GMT".into());
    assert_eq!(
        api_error(Api::Rest, &r).retry_after,
        Some(Duration::from_secs(120))
    );
    let mut one = response(400, None, r#"{"error":{"code":43}}"#);
    one.retry_after = Some("5".into());
    let e = api_error(Api::OneApi, &one);
    assert_eq!(
        (e.kind, e.retry_after),
        (ApiErrorKind::RateLimited, Some(Duration::from_secs(5)))
    );
}

#[test]
fn redirects_name_the_target_host_only() {
    let mut r = response(302, None, "");
    r.location = Some("https://evil.example/steal?x=1".into());
    let err = interpret(Api::Rest, Format::Json, &url(), &r, now()).unwrap_err();
    assert_eq!(
        err,
        FetchError::Redirect {
            host: "api.clickatell.com".into(),
            status: 302,
            target: "evil.example".into()
        }
    );
    assert!(err.user_message().contains("evil.example"));
}

#[test]
fn redaction_removes_an_echoed_token() {
    let r = response(
        401,
        None,
        r#"{"error":{"code":"001","description":"bad token SECRET123"}}"#,
    );
    let err = FetchError::Api(api_error(Api::Rest, &r)).redact("SECRET123");
    assert!(!err.user_message().contains("SECRET123"));
    assert!(!format!("{err:?}").contains("SECRET123"));
}

#[test]
fn unsafe_base_urls_are_refused_before_any_request() {
    let client = HttpClient::new(&NetworkConfig::default()).unwrap();
    let config = SourceConfig {
        base_url: Some("http://api.clickatell.com".into()),
        ..SourceConfig::default()
    };
    assert!(matches!(
        balance_source(client, &config),
        Err(FetchError::InsecureBaseUrl { .. })
    ));
}

#[test]
fn each_error_says_what_polling_does_and_which_state_follows() {
    use crate::snapshot::Status;
    let api = |kind| {
        FetchError::Api(ApiError {
            status: 400,
            code: None,
            description: None,
            kind,
            retry_after: None,
            via_proxy: None,
        })
    };
    let net = |host: &str| FetchError::Timeout {
        host: host.into(),
        after: Duration::from_secs(1),
    };
    let table = [
        (
            api(ApiErrorKind::TokenRejected),
            Disposition::Pause,
            Status::TokenRejected,
        ),
        (
            api(ApiErrorKind::IpLockdown),
            Disposition::Pause,
            Status::Error,
        ),
        (
            api(ApiErrorKind::RateLimited),
            Disposition::Retry,
            Status::RateLimited,
        ),
        (
            api(ApiErrorKind::Temporary),
            Disposition::Retry,
            Status::Error,
        ),
        (
            api(ApiErrorKind::NoCredit),
            Disposition::NextInterval,
            Status::Error,
        ),
        (net("h"), Disposition::Retry, Status::Offline),
        (
            FetchError::InsecureBaseUrl { host: "h".into() },
            Disposition::Pause,
            Status::Error,
        ),
        (
            FetchError::Malformed { detail: "x".into() },
            Disposition::NextInterval,
            Status::Error,
        ),
    ];
    for (error, disposition, status) in table {
        assert_eq!(error.disposition(), disposition, "{error}");
        assert_eq!(error.status(), status, "{error}");
        assert!(status.is_failure(), "{status:?}");
    }
}
