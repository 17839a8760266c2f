//! The router: every route and the OpenAPI document generated from them; the middleware
//! around them is `crate::middleware`.

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::routing::get;
use axum::Router;
use utoipa::openapi::security::{Flow, OAuth2, Password, Scopes, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::config::Settings;
use crate::error::ErrorBody;
use crate::http;
use crate::middleware::{self, error_body, App};
use crate::monitoring::http_requests::RouteTemplates;
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

/// Routes served beside the documented API (same templates as below, for metrics labels).
const UNDOCUMENTED: [&str; 3] = ["/api/v1/openapi.json", "/docs", "/metrics"];

/// The full application as the service each connection calls: routes, the OpenAPI document,
/// the web client, and the middleware around them all (`crate::middleware`).
pub fn service(state: AppState) -> App {
    let hot_reads = http::hot_reads::HotReadsLayer::new(state.clone());
    compose(state, hot_reads)
}

/// [`service`] with every request going through the router, the hot reads included: what
/// `http::hot_reads` must answer the same as (tests).
pub fn service_through_router(state: AppState) -> App {
    compose(state, http::hot_reads::HotReadsLayer::off())
}

fn compose(state: AppState, hot_reads: http::hot_reads::HotReadsLayer) -> App {
    let (routes, openapi) = routes_and_document(state.settings.upload_limit);
    let templates = RouteTemplates::new(
        openapi
            .paths
            .paths
            .keys()
            .map(String::as_str)
            .chain(UNDOCUMENTED),
    );
    let document = bytes::Bytes::from(serde_json::to_vec(&openapi).unwrap_or_default());
    let settings = &state.settings;
    let web = Arc::new(http::web::WebFiles::new(settings.web_dir.as_deref()));

    let [openapi_json, docs, metrics] = UNDOCUMENTED;
    let app = routes
        .route(openapi_json, get(http::docs::openapi_json(document)))
        .route(docs, get(http::docs::docs_page))
        .route(metrics, get(http::metrics::on_main))
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
    middleware::around(app, hot_reads, settings, templates, state.metrics.is_some())
}

/// [`service`] as a `Router` (for tests and tools that add layers or call it in process).
pub fn router(state: AppState) -> Router {
    Router::new().fallback_service(service(state))
}

/// Every route that belongs in the OpenAPI document.
fn api_routes(upload_limit: usize) -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(http::health::health))
        .routes(routes!(http::health::ready))
        .merge(api_v1())
        .merge(uploads(upload_limit))
}

/// Routes that accept large bodies (arcdps logs): their own limit replaces the default one.
fn uploads(upload_limit: usize) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(http::mcm::upload))
        .layer(DefaultBodyLimit::max(upload_limit))
}

/// Everything under `/api/v1`. Each handler's path says it whole (`/api/v1/builds/{id}`)
/// rather than the router nesting them under the prefix: a nested route takes the prefix
/// off every request's URI (a new URI, parsed again) and records where it was nested, ~1,600
/// instructions a request.
fn api_v1() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(http::health::health_v1))
        .routes(routes!(http::health::ready_v1))
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
