//! The router: every route, the OpenAPI document generated from them, and the middleware
//! stack every request goes through.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, MatchedPath};
use axum::http::{
    header, HeaderMap, HeaderName, HeaderValue, Method, Request, Response, StatusCode, Uri,
};
use axum::routing::get;
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{Flow, OAuth2, Password, Scopes, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::config::Settings;
use crate::error::{code_for_status, ErrorBody};
use crate::http;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "GW2Optimizer API",
        description = "Design, share, optimize and analyse Guild Wars 2 builds and squads.",
        license(name = "MIT")
    ),
    components(schemas(ErrorBody)),
    modifiers(&BearerAuth),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "auth", description = "Registration, login, tokens, the web client's cookie session, e-mail verification, password reset"),
        (name = "users", description = "The current user's profile and account"),
        (name = "admin", description = "Account administration (superusers)"),
        (name = "builds", description = "Builds: CRUD, search, votes, import/export"),
        (name = "teams", description = "Team compositions (squads), their synergy and the squad optimizer"),
        (name = "meta", description = "The meta of a game mode, counted from stored builds, teams and saved builds"),
        (name = "optimize", description = "Gear optimizer"),
        (name = "codes", description = "The game's build chat codes"),
        (name = "game", description = "The embedded game data, for clients to cache"),
        (name = "mcm", description = "WvW (McM) analytics: arcdps logs, fights, sessions and live streams"),
        (name = "ai", description = "Team Commander (a WvW squad from one sentence, French or English) and the AI adviser"),
        (name = "learning", description = "The learning loop: samples from what users store, models cross-validated against a baseline, the registry and its selected models"),
    )
)]
struct ApiDoc;

/// Declares the `bearer` security scheme (OAuth2 password flow, as FastAPI does), so the
/// document says which endpoints need a token.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::OAuth2(OAuth2::new([Flow::Password(Password::new(
                "/api/v1/auth/token",
                Scopes::new(),
            ))])),
        );
    }
}

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The OpenAPI document of every API route: what `/api/v1/openapi.json` serves and
/// `gw2opt openapi` prints (the web client's build generates its API types from it).
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes_and_document(Settings::default().upload_limit).1
}

/// The API's routes and their document, with every operation id unique.
fn routes_and_document(upload_limit: usize) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (routes, mut document) = api_routes(upload_limit).split_for_parts();
    unique_operation_ids(&mut document);
    (routes, document)
}

/// utoipa names an operation after its handler, and handlers of different resources share
/// names (`builds::create`, `teams::create`...). Code generators key operations by id (the
/// web UI's openapi-typescript among them), so a shared id would give one endpoint another's
/// types. A shared id becomes `{tag}_{id}` (`builds_create`), and if that is still shared
/// (the same handler under two paths, `/health` and `/api/v1/health`) `{method}_{path}`.
fn unique_operation_ids(document: &mut utoipa::openapi::OpenApi) {
    use std::collections::HashMap;
    fn operations(
        document: &mut utoipa::openapi::OpenApi,
    ) -> Vec<(String, &mut utoipa::openapi::path::Operation)> {
        let mut out = Vec::new();
        for (path, item) in &mut document.paths.paths {
            for (method, op) in [
                ("get", &mut item.get),
                ("put", &mut item.put),
                ("post", &mut item.post),
                ("delete", &mut item.delete),
                ("patch", &mut item.patch),
                ("head", &mut item.head),
                ("options", &mut item.options),
                ("trace", &mut item.trace),
            ] {
                if let Some(op) = op.as_mut() {
                    out.push((format!("{method}_{path}"), op));
                }
            }
        }
        out
    }
    let count = |document: &mut utoipa::openapi::OpenApi| {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (_, op) in operations(document) {
            if let Some(id) = &op.operation_id {
                *seen.entry(id.clone()).or_default() += 1;
            }
        }
        seen
    };
    let seen = count(document);
    for (_, op) in operations(document) {
        let shared = op
            .operation_id
            .as_ref()
            .is_some_and(|id| seen.get(id).copied().unwrap_or(0) > 1);
        if shared {
            let tag = op.tags.as_ref().and_then(|t| t.first()).cloned();
            if let (Some(tag), Some(id)) = (tag, op.operation_id.as_mut()) {
                *id = format!("{tag}_{id}");
            }
        }
    }
    let seen = count(document);
    for (key, op) in operations(document) {
        let shared = op
            .operation_id
            .as_ref()
            .is_some_and(|id| seen.get(id).copied().unwrap_or(0) > 1);
        if shared {
            let slug: String = key
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            op.operation_id = Some(
                slug.split('_')
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join("_"),
            );
        }
    }
}

/// [`openapi`] as indented JSON.
pub fn openapi_pretty_json() -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(&openapi())
}

/// The full application: routes, the OpenAPI document, the web client and middleware.
pub fn router(state: AppState) -> Router {
    let (routes, openapi) = routes_and_document(state.settings.upload_limit);
    let document = bytes::Bytes::from(serde_json::to_vec(&openapi).unwrap_or_default());
    let settings = &state.settings;
    let web = Arc::new(http::web::WebFiles::new(settings.web_dir.as_deref()));

    let app = routes
        .route(
            "/api/v1/openapi.json",
            get(http::docs::openapi_json(document)),
        )
        .route("/docs", get(http::docs::docs_page))
        .route("/metrics", get(http::metrics::on_main))
        // What no route matched: the web client's files and pages, or the API's JSON 404.
        .fallback(move |method: Method, uri: Uri, headers: HeaderMap| {
            let web = web.clone();
            async move { web.respond(&method, &uri, &headers).await }
        })
        .method_not_allowed_fallback(|| async {
            (
                StatusCode::METHOD_NOT_ALLOWED,
                axum::Json(error_body(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "method not allowed on this route",
                )),
            )
        })
        .with_state(state.clone());

    // The middleware is applied in as few `Router::layer` calls as its options allow. Each call
    // wraps every route in one more boxed service, and a request clones its route's whole
    // boxed chain and boxes one future per level: with one call per layer (eleven), that was
    // most of what `/health` cost beyond the bare endpoint (callgrind: 65 k instructions per
    // request against 14 k). Layers inside one `ServiceBuilder` are one concrete type, cloned
    // and polled without boxes. Within a builder the first layer listed is the outermost.
    //
    // Innermost group: everything that does not depend on an option.
    let app = app.layer(
        ServiceBuilder::new()
            .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
            .layer(crate::headers::security_headers(settings))
            .layer(cors(&settings.cors_origins, settings.cors_credentials))
            .layer(
                CompressionLayer::new()
                    .compress_when(DefaultPredicate::new().and(http::web::compressible)),
            )
            .layer(tower::util::AndThenLayer::new(normalize_error_body))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::SERVICE_UNAVAILABLE,
                settings.request_timeout,
            ))
            .layer(CatchPanicLayer::custom(panic_response))
            .layer(DefaultBodyLimit::max(settings.body_limit)),
    );
    // One access-log line per request unless switched off (load tests); errors are logged
    // by the error type either way. The request's span is also what traces export (the
    // route template, the request id, and its trace id written on its log lines).
    let app = if settings.access_log || crate::telemetry::traces_exported() {
        app.layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<Body>| {
                    let request_id = request
                        .extensions()
                        .get::<RequestId>()
                        .and_then(|id| id.header_value().to_str().ok())
                        .unwrap_or("-");
                    let route = request
                        .extensions()
                        .get::<MatchedPath>()
                        .map_or("-", MatchedPath::as_str);
                    let span = tracing::info_span!("request", request_id = %request_id, method = %request.method(),
                        path = %request.uri().path(), route = route, trace_id = tracing::field::Empty,
                        otel.name = tracing::field::Empty, otel.kind = tracing::field::Empty);
                    crate::telemetry::link_request_span(&span, request.method().as_str(), route);
                    span
                })
                .on_request(())
                .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
    } else {
        app
    };
    // Outermost group: the request id, then (outermost of all, so request latency includes the
    // whole stack) the request metrics, which do nothing unless metrics are served.
    app.layer(
        ServiceBuilder::new()
            .layer(crate::monitoring::HttpMetricsLayer::new(
                state.metrics.is_some(),
            ))
            .layer(tower::util::MapRequestLayer::new(drop_unusable_request_id))
            .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), MakeRequestUuid)),
    )
}

/// The longest client-sent `x-request-id` kept (a UUID is 36; trace ids are up to 64).
pub const MAX_REQUEST_ID_LEN: usize = 128;

/// A client's `x-request-id` is echoed in the response and written on every log line of
/// the request, so only a short, visible-ASCII one is kept (1–128 characters from `!` to
/// `~`); any other is dropped and the next layer generates one.
fn drop_unusable_request_id(mut request: Request<Body>) -> Request<Body> {
    let usable = request.headers().get(&REQUEST_ID).map(|value| {
        let bytes = value.as_bytes();
        !bytes.is_empty()
            && bytes.len() <= MAX_REQUEST_ID_LEN
            && bytes.iter().all(u8::is_ascii_graphic)
    });
    if usable == Some(false) || request.headers().get_all(&REQUEST_ID).iter().count() > 1 {
        request.headers_mut().remove(&REQUEST_ID);
    }
    request
}

/// Every route that belongs in the OpenAPI document.
fn api_routes(upload_limit: usize) -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(http::health::health))
        .routes(routes!(http::health::ready))
        .nest("/api/v1", api_v1().merge(uploads(upload_limit)))
}

/// Routes that accept large bodies (arcdps logs): their own limit replaces the default one.
fn uploads(upload_limit: usize) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(http::mcm::upload))
        .layer(DefaultBodyLimit::max(upload_limit))
}

/// Everything under `/api/v1`.
fn api_v1() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(http::health::health))
        .routes(routes!(http::health::ready))
        .routes(routes!(http::auth::register))
        .routes(routes!(http::auth::login))
        .routes(routes!(http::auth::token))
        .routes(routes!(http::auth::refresh))
        .routes(routes!(http::auth::logout))
        .routes(routes!(http::auth::me))
        .routes(routes!(http::session::create, http::session::delete))
        .routes(routes!(http::session::refresh))
        .routes(routes!(
            http::auth::verify_email_link,
            http::auth::verify_email
        ))
        .routes(routes!(http::auth::resend_verification))
        .routes(routes!(http::auth::forgot_password))
        .routes(routes!(http::auth::reset_password))
        .routes(routes!(
            http::users::get_me,
            http::users::update_me,
            http::users::delete_me
        ))
        .routes(routes!(http::users::change_password))
        .routes(routes!(http::users::login_history))
        .routes(routes!(http::admin::list_users))
        .routes(routes!(http::admin::update_user))
        .routes(routes!(http::admin::import_builds))
        .routes(routes!(http::admin::audit))
        .routes(routes!(http::builds::create, http::builds::list))
        .routes(routes!(http::builds::import))
        .routes(routes!(
            http::builds::get,
            http::builds::replace,
            http::builds::patch,
            http::builds::delete
        ))
        .routes(routes!(http::builds::vote))
        .routes(routes!(http::builds::export))
        .routes(routes!(http::builds::dps))
        .routes(routes!(http::builds::gear_input))
        .routes(routes!(
            http::saved_builds::create,
            http::saved_builds::list
        ))
        .routes(routes!(http::saved_builds::delete))
        .routes(routes!(http::teams::create, http::teams::list))
        .routes(routes!(
            http::teams::get,
            http::teams::replace,
            http::teams::delete
        ))
        .routes(routes!(http::teams::synergy))
        .routes(routes!(http::optimize::squad))
        .routes(routes!(http::optimize::synergy))
        .routes(routes!(http::optimize::gear))
        .routes(routes!(http::optimize::gear_presets))
        .routes(routes!(
            http::optimize::gear_job,
            http::optimize::cancel_gear_job
        ))
        .routes(routes!(http::optimize::ws_optimize))
        .routes(routes!(http::codes::decode))
        .routes(routes!(http::codes::encode))
        .routes(routes!(http::game::data))
        .routes(routes!(http::meta::overview))
        .routes(routes!(http::meta::analysis))
        .routes(routes!(http::meta::snapshot))
        .routes(routes!(http::meta::analyze))
        .routes(routes!(http::feedback::create))
        .routes(routes!(http::mcm::list_fights))
        .routes(routes!(http::mcm::get_fight, http::mcm::delete_fight))
        .routes(routes!(http::mcm::create_session, http::mcm::list_sessions))
        .routes(routes!(http::mcm::get_session, http::mcm::delete_session))
        .routes(routes!(http::mcm::add_fights))
        .routes(routes!(http::mcm::remove_fight))
        .routes(routes!(http::ws_mcm::ws_mcm))
        .routes(routes!(http::ai::command))
        .routes(routes!(http::ai::templates))
        .routes(routes!(http::ai::analyze_build))
        .routes(routes!(http::ai::analyze_skill))
        .routes(routes!(http::ai::analyze_url))
        .routes(routes!(http::adviser::recommend))
        .routes(routes!(http::adviser::recommend_build))
        .routes(routes!(http::adviser::optimize_build))
        .routes(routes!(http::adviser::analyze_team_synergy))
        .routes(routes!(http::adviser::optimize_team))
        .routes(routes!(http::adviser::compose))
        .routes(routes!(http::adviser::workflows))
        .routes(routes!(http::adviser::start_workflow))
        .routes(routes!(http::adviser::workflow_build_optimization))
        .routes(routes!(http::adviser::workflow_team_analysis))
        .routes(routes!(http::adviser::get_run, http::adviser::cancel_run))
        .routes(routes!(http::adviser::status))
        .routes(routes!(http::adviser::ai_context))
        .routes(routes!(http::chat::send))
        .routes(routes!(http::chat::stream))
        .routes(routes!(http::chat::list_conversations))
        .routes(routes!(
            http::chat::get_conversation,
            http::chat::delete_conversation
        ))
        .routes(routes!(http::jobs::submit))
        .routes(routes!(http::jobs::get, http::jobs::cancel))
        .routes(routes!(http::learning::models))
        .routes(routes!(http::learning::run))
        .routes(routes!(http::learning::export))
}

/// `credentials` with a `*` origin is refused at start (`Settings::check_cors`): the layer
/// is then built without credentials rather than panicking.
fn cors(origins: &[String], credentials: bool) -> CorsLayer {
    let parsed: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o.trim()).ok())
        .collect();
    let layer = CorsLayer::new()
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            REQUEST_ID.clone(),
            HeaderName::from_static(http::session::CSRF_HEADER),
        ])
        .expose_headers([REQUEST_ID.clone()])
        .max_age(Duration::from_secs(3600));
    if origins.iter().any(|o| o.trim() == "*") {
        layer.allow_origin(AllowOrigin::any())
    } else {
        layer
            .allow_origin(AllowOrigin::list(parsed))
            .allow_credentials(credentials)
    }
}

fn error_body(status: StatusCode, detail: &str) -> ErrorBody {
    ErrorBody {
        detail: detail.to_owned(),
        code: code_for_status(status).to_owned(),
        field: None,
    }
}

fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    tracing::error!("a request handler panicked");
    let body = serde_json::to_vec(&error_body(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal error",
    ))
    .unwrap_or_default();
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// The normaliser's answer: at once, or after reading the error's text.
type Normalized = futures_util::future::Either<
    std::future::Ready<Result<Response<Body>, std::convert::Infallible>>,
    futures_util::future::BoxFuture<'static, Result<Response<Body>, std::convert::Infallible>>,
>;

/// Errors produced outside our handlers (timeouts, tower layers, framework rejections we
/// do not wrap) arrive as plain text or empty bodies: give them the API's JSON error shape.
/// Successes and JSON errors pass at once, without a boxed future (reading an error's text
/// is the only part that waits).
fn normalize_error_body<B>(response: Response<B>) -> Normalized
where
    B: axum::body::HttpBody<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    use futures_util::FutureExt;
    let response = response.map(Body::new);
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return futures_util::future::Either::Left(std::future::ready(Ok(response)));
    }
    futures_util::future::Either::Right(json_error_body(response).map(Ok).boxed())
}

/// The JSON error shape around a non-JSON error response's text.
async fn json_error_body(response: Response<Body>) -> Response<Body> {
    let status = response.status();
    let (mut parts, body) = response.into_parts();
    let text = match http_body_util::Limited::new(body, 4096).collect().await {
        Ok(collected) => String::from_utf8_lossy(&collected.to_bytes())
            .trim()
            .to_owned(),
        Err(_) => String::new(),
    };
    let detail = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_lowercase()
    } else {
        text
    };
    let body = serde_json::to_vec(&error_body(status, &detail)).unwrap_or_default();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}
