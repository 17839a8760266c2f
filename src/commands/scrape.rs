//! `gw2opt scrape URL...`: imports builds from community guide pages into the database, as
//! `POST /api/v1/admin/import/builds` does, owned by `--as` (else the oldest superuser).

use server::services::community_import::{ImportResult, ImportStatus, MAX_URLS};
use server::state::AppState;

use super::{out, print_json};

pub async fn run(
    state: &AppState,
    urls: &[String],
    owner: Option<&str>,
    public: bool,
    json: bool,
) -> anyhow::Result<()> {
    let user = match owner {
        Some(login) => store::users::by_login(&state.db, login)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no account {login:?}"))?,
        None => store::users::oldest_superuser(&state.db)
            .await?
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "no superuser to own the builds: name an account with --as, or create one \
                     with `gw2opt user create-superuser`"
                )
            })?,
    };
    anyhow::ensure!(
        user.is_active,
        "the account {} is deactivated",
        user.username
    );
    let mut results: Vec<ImportResult> = Vec::with_capacity(urls.len());
    for batch in urls.chunks(MAX_URLS) {
        results.extend(
            state
                .community_import
                .import(&user, batch, public)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?,
        );
    }
    if json {
        print_json(&results)?;
    } else {
        let mut text = String::new();
        for r in &results {
            let status = match r.status {
                ImportStatus::Imported => "imported",
                ImportStatus::Skipped => "skipped",
                ImportStatus::Failed => "failed",
            };
            let id = r.build_id.map(|i| i.to_string()).unwrap_or_default();
            text.push_str(&format!(
                "{status:<8} {} {id}\n         {}\n",
                r.url, r.detail
            ));
        }
        out(&text)?;
    }
    let failed = results
        .iter()
        .filter(|r| r.status == ImportStatus::Failed)
        .count();
    anyhow::ensure!(failed == 0, "{failed} of {} page(s) failed", results.len());
    Ok(())
}
